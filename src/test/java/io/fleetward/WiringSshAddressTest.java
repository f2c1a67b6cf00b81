package io.fleetward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetward.transport.ssh.SshAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The SSH transport reads destinations with the inventory's target-host rules, and gets only the parts. */
class WiringSshAddressTest {

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            "rosegold,                 -,       rosegold,    0",
            "cameron@rosegold.zt:2222, cameron, rosegold.zt, 2222",
            "root@[::1]:22,            root,    ::1,         22",
            "root@10.0.0.5,            root,    10.0.0.5,    0",
    })
    void passesTheParts(String destination, String user, String host, int port) {
        assertThat(Wiring.sshAddress(destination)).isEqualTo(new SshAddress(user, host, port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-oProxyCommand=reboot", "root@host:0", "Root@host", "root@host;reboot", "a@b@c"})
    void refusesWhatTheInventoryRefuses(String destination) {
        assertThatThrownBy(() -> Wiring.sshAddress(destination)).isInstanceOf(IllegalArgumentException.class);
    }
}
