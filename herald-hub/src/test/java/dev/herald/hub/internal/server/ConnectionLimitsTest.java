package dev.herald.hub.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The counters behind the connection limits: bounded, and forgetting addresses and subjects at zero. */
class ConnectionLimitsTest {

    static final InetAddress A = InetAddress.getLoopbackAddress();

    static InetAddress address(String ip) throws Exception {
        return InetAddress.getByName(ip);
    }

    @Test
    void totalLimitRefusesWith503AndDoesNotCountTheRefused() throws Exception {
        ConnectionLimits limits = new ConnectionLimits(2, 10, 10);
        assertThat(limits.acquire(address("10.0.0.1"))).isNull();
        assertThat(limits.acquire(address("10.0.0.2"))).isNull();
        assertThat(limits.acquire(address("10.0.0.3"))).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
        assertThat(limits.connections()).isEqualTo(2);
        limits.release(address("10.0.0.1"));
        assertThat(limits.acquire(address("10.0.0.3"))).isNull();
    }

    @Test
    void perAddressLimitRefusesWith429AndLeavesOtherAddressesAlone() throws Exception {
        ConnectionLimits limits = new ConnectionLimits(100, 2, 10);
        assertThat(limits.acquire(A)).isNull();
        assertThat(limits.acquire(A)).isNull();
        assertThat(limits.acquire(A)).isEqualTo(HttpResponseStatus.TOO_MANY_REQUESTS);
        assertThat(limits.acquire(address("192.0.2.7"))).isNull();
        assertThat(limits.connections()).isEqualTo(3);
    }

    @Test
    void countersAreForgottenWhenTheyDropToZero() throws Exception {
        ConnectionLimits limits = new ConnectionLimits(1000, 1000, 1000);
        for (int i = 1; i <= 200; i++) {
            assertThat(limits.acquire(address("10.1.0." + (i % 250)))).isNull();
            assertThat(limits.acquireStream("issuer\nsubject-" + i)).isTrue();
        }
        assertThat(limits.trackedKeys()).isEqualTo(400);
        for (int i = 1; i <= 200; i++) {
            limits.release(address("10.1.0." + (i % 250)));
            limits.releaseStream("issuer\nsubject-" + i);
        }
        assertThat(limits.trackedKeys()).isZero();
        assertThat(limits.connections()).isZero();
    }

    @Test
    void subjectLimitCountsStreamsPerSubject() {
        ConnectionLimits limits = new ConnectionLimits(10, 10, 2);
        assertThat(limits.acquireStream("s")).isTrue();
        assertThat(limits.acquireStream("s")).isTrue();
        assertThat(limits.acquireStream("s")).isFalse();
        assertThat(limits.acquireStream("t")).isTrue();
        limits.releaseStream("s");
        assertThat(limits.acquireStream("s")).isTrue();
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new ConnectionLimits(1, 0, 1)).hasMessage("maxConnectionsPerIp: 0 (expected: > 0)");
    }
}
