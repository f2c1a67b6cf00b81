package io.fleetward.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.common.SshException;
import org.junit.jupiter.api.Test;

/** An authentication that got no answer is told apart from a refused key. */
class SessionPoolTest {

    @Test
    void aFutureThatGaveUpWaitingIsATimeout() {
        assertThat(SessionPool.timedOut(new SshException("Failed to get operation result within specified timeout",
                new TimeoutException("10000 msec")))).isTrue();
    }

    @Test
    void aRefusalIsNoTimeout() {
        assertThat(SessionPool.timedOut(new SshException("No more authentication methods available"))).isFalse();
        assertThat(SessionPool.timedOut(new IOException("Connection reset"))).isFalse();
    }
}
