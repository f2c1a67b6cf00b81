package io.fleetward.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class TargetHostTest {

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            "root@rosegold.zt,          root,    rosegold.zt,     0",
            "rosegold,                  -,       rosegold,        0",
            "cameron@rosegold.zt:2222,  cameron, rosegold.zt,     2222",
            "root@10.0.0.5,             root,    10.0.0.5,        0",
            "root@10.0.0.5:65535,       root,    10.0.0.5,        65535",
            "root@[fe80::1],            root,    fe80::1,         0",
            "root@[::1]:22,             root,    ::1,             22",
            "[2001:db8:0:0:0:0:0:1],    -,       2001:db8:0:0:0:0:0:1, 0",
            "root@[::ffff:192.0.2.1],   root,    ::ffff:192.0.2.1, 0",
            "root@my_host.zt:1,         root,    my_host.zt,      1",
            "root@Rosegold.ZT,          root,    Rosegold.ZT,     0",
    })
    void parsesAndRoundTrips(String text, String user, String host, int port) {
        TargetHost parsed = TargetHost.parse(text);

        assertEquals(new TargetHost(user, host, port), parsed);
        assertEquals(text, parsed.toString());
    }

    static Stream<String> malformed() {
        return Stream.concat(OverlayRefusalTest.malformedTargetHosts(), Stream.of(null, "root@host:22:22",
                "root@1.2.3", "root@01.2.3.4", "root@host.", "root@.host", "root@-host", "root@host-",
                "root@[::1]x", "root@[1:2:3:4:5:6:7:8:9]", "root@[1::2::3]", "root@1:2:3:4:5:6:7:8",
                "root@host:+22", "root@" + "a.".repeat(127) + "zt", "root@" + "a".repeat(64) + ".zt"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void refusesMalformedText(String text) {
        assertFalse(TargetHost.isValid(text));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> TargetHost.parse(text));
        if (text != null && !text.isEmpty()) {
            assertFalse(refused.getMessage().contains(text), "the reason does not echo the input");
        }
    }
}
