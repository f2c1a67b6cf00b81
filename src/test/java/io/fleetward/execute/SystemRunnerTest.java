package io.fleetward.execute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SystemRunnerTest {
    private static final String KEY = "fleetward.deploy.system-runner";

    @Test
    void localRunsOnTheController() {
        assertTrue(SystemRunner.parse(KEY, "local").local());
    }

    @ParameterizedTest
    @CsvSource({"ssh://deploy@builder.zt, deploy@builder.zt", "ssh://builder.zt:2222, builder.zt:2222",
            "ssh://root@[fd00::1]:22, root@[fd00::1]:22"})
    void sshNamesTheDeployerHost(String text, String destination) {
        SystemRunner runner = SystemRunner.parse(KEY, text);

        assertEquals(destination, runner.destination());
        assertEquals(text, runner.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "remote", "ssh://", "ssh://-oProxyCommand=x", "ssh://a@b;reboot", "https://builder.zt",
            "ssh://root@builder.zt:0", "ssh://root@builder.zt/path"})
    void anythingElseFailsStartUpNamingTheKey(String text) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> SystemRunner.parse(KEY, text));

        assertTrue(refused.getMessage().startsWith(KEY + ": "), refused.getMessage());
    }
}
