package io.fleetward.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SignatureCheckTest {

    /** GitHub's documented example ("Validating webhook deliveries"). */
    private static final String SECRET = "It's a Secret to Everybody";
    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    private static final String EXPECTED = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    @Test
    void computesGitHubsDocumentedSignature() {
        assertThat(HexFormat.of().formatHex(SignatureCheck.hmacSha256(SECRET, BODY))).isEqualTo(EXPECTED);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "documented signature  | 757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17 |",
        "upper-case hex        | 757107EA0EB2509FC211221CCE984B8A37570B6D7586C22C46F4379C8B043E17 |",
        "one digit changed     | 757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e18 | signature does not match the body",
        "truncated             | 757107ea0eb2509fc211221cce984b8a                                 | signature does not match the body",
        "empty                 | ''                                                               | signature does not match the body",
        "not hex               | zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17 | signature is not hexadecimal",
    })
    void checksAHexSignature(String name, String given, String failure) {
        assertThat(SignatureCheck.hmacMismatch(SECRET, BODY, given)).isEqualTo(Optional.ofNullable(failure));
    }

    @Test
    void aSignatureOfAnotherBodyOrSecretDoesNotMatch() {
        assertThat(SignatureCheck.hmacMismatch(SECRET, "Hello, World?".getBytes(StandardCharsets.UTF_8), EXPECTED))
                .isPresent();
        assertThat(SignatureCheck.hmacMismatch("It's a secret to everybody", BODY, EXPECTED)).isPresent();
    }

    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @CsvSource({
        "glpat-secret, glpat-secret, true",
        "glpat-secret, glpat-secreT, false",
        "glpat-secret, glpat-secret-longer, false",
        "glpat-secret, '', false",
    })
    void comparesTokens(String secret, String given, boolean same) {
        assertThat(SignatureCheck.sameToken(secret, given)).isEqualTo(same);
    }
}
