package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.redis.RedisServer;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code herald serve --transport}: a hub of a Redis cluster, and refusals with exit code 2. */
class ServeTransportOptionsTest {

    @Test
    void aRedisTransportMakesTheSharedStreamTheHistory() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            Process p = HeraldProcess.start("serve", "--dev", "--no-ui", "--addr", "127.0.0.1:0",
                    "--transport", redis.uri("prefix=cli").toString());
            try {
                assertThat(HeraldProcess.awaitLine(p, "listening on")).as("listening line")
                        .contains("history: shared, redis redis://127.0.0.1:" + redis.port() + " (prefix cli)");
            } finally {
                p.destroy();
                assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    @Test
    void anUnreachableRedisExitsWithCode2WithoutShowingThePassword() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = HeraldProcess.start("serve", "--addr", "127.0.0.1:0", "--transport", "redis://:hunter2@127.0.0.1:" + port);
        String out = HeraldProcess.outputOf(p);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).contains("cannot reach Redis at redis://***@127.0.0.1:" + port).doesNotContain("hunter2")
                .doesNotContain("\tat ");
    }

    @Test
    void aRedisThatRefusesTheConnectionSaysWhyInsteadOfUnreachable() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            Process p = HeraldProcess.start("serve", "--addr", "127.0.0.1:0", "--anonymous",
                    "--transport", "redis://127.0.0.1:" + redis.port() + "/99");
            String out = HeraldProcess.outputOf(p);
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(out).contains("Redis at redis://127.0.0.1:" + redis.port()).contains("refused the connection")
                    .containsIgnoringCase("DB index").doesNotContain("cannot reach Redis").doesNotContain("\tat ");
        }
    }

    @Test
    void anUnknownSchemeOrABadUriExitsWithCode2() throws Exception {
        Process p = HeraldProcess.start("serve", "--addr", "127.0.0.1:0", "--transport", "nats://localhost:4222");
        String out = HeraldProcess.outputOf(p);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).contains("transport: no transport for 'nats:' URIs (expected one of: redis, redis-sentinel, rediss)");
        Process q = HeraldProcess.start("serve", "--addr", "127.0.0.1:0", "--transport", "redis://h:6379/ bad");
        assertThat(HeraldProcess.outputOf(q)).contains("--transport: not a URI: Illegal character in path at index");
        assertThat(q.exitValue()).isEqualTo(2);
    }
}
