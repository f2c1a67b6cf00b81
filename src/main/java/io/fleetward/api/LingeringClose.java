package io.fleetward.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Ends a connection whose request body is left unread, so that the client still gets the answer.
 * Closing at once while the upload still arrives makes the kernel send a TCP reset, which can destroy
 * the answer before the client reads it; reading the rest to keep the connection costs what a flood
 * wants it to cost. So: the answer is flushed, reading stops, the sending side is shut down (the
 * client reads the answer, then the end of the stream), and the connection is closed after
 * {@link #GRACE}, when the client has long read the answer and hung up.
 */
final class LingeringClose {
    /** How long a refused connection stays half open, unread. */
    static final Duration GRACE = Duration.ofSeconds(2);

    private LingeringClose() {
    }

    /** Ends {@code connection} once what was written to it is sent; call it once the answer is written. */
    static void of(HttpConnection connection) {
        if (!(connection instanceof ConnectionBase base) || !(base.channel() instanceof DuplexChannel)) {
            connection.close(); // not a TCP connection of Vert.x's HTTP/1 server: close it at once
            return;
        }
        Channel channel = base.channel();
        channel.eventLoop().execute(() -> {
            channel.config().setAutoRead(false);
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) flushed -> {
                ((DuplexChannel) channel).shutdownOutput();
                channel.eventLoop().schedule(() -> channel.close(), GRACE.toMillis(), TimeUnit.MILLISECONDS);
            });
        });
    }
}
