package io.fleetward.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TargetIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"system:cinnabar", "home:janettesmith@rosegold", "system:a", "home:a_b@c-d",
            "system:0123456789012345678901234567890123456789012345678901234567890ab"})
    void parseRoundTrips(String text) {
        TargetId id = TargetId.parse(text);

        assertEquals(text, id.toString());
        assertEquals(id, TargetId.parse(id.toString()));
        assertEquals(text.startsWith("home:") ? TargetKind.HOME : TargetKind.SYSTEM, id.kind());
    }

    static Stream<String> hostile() {
        return Stream.of(null, "", "system:", "system:Upper", "system:a b", "system:a;reboot", "system:$(reboot)",
                "system:..", "system:a/b", "system:a\nb", "system:host\n", " system:host", "system:-rf",
                "system:" + "a".repeat(64), "home:@host", "home:user@", "home:user", "home:a@b@c",
                "home:user@host;x", "home:$(id)@host", "sys:host", "SYSTEM:host", "system:home:a@b");
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void parseRejectsHostileIds(String text) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> TargetId.parse(text));

        if (text != null) {
            String reasonForAnyMalformedId = assertThrows(IllegalArgumentException.class,
                    () -> TargetId.parse("x")).getMessage();
            assertEquals(reasonForAnyMalformedId, refused.getMessage(), "the reason does not echo the input");
        }
    }
}
