package dev.herald.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.hub.test.External;
import dev.herald.hub.test.Publish;
import dev.herald.hub.test.TestHubs;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/2: cleartext by prior knowledge and by {@code Upgrade: h2c}, and over TLS by ALPN. */
class Http2Test {

    @Test
    void priorKnowledgeH2cStreamReceivesEvents() throws Exception {
        try (Hub hub = TestHubs.start()) {
            MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            try {
                Channel connection = new Bootstrap().group(group).channel(NioSocketChannel.class)
                        .handler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                                        new Http2MultiplexHandler(new SimpleChannelInboundHandler<Object>() {
                                            @Override
                                            protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                                            }
                                        }));
                            }
                        })
                        .connect(hub.address()).sync().channel();
                BlockingQueue<Http2StreamFrame> frames = new LinkedBlockingQueue<>();
                Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection)
                        .handler(new SimpleChannelInboundHandler<Http2StreamFrame>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
                                if (frame instanceof Http2DataFrame) {
                                    ((Http2DataFrame) frame).content().retain();
                                }
                                frames.add(frame);
                            }
                        }).open().sync().getNow();
                stream.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers()
                        .method("GET").scheme("http").authority("hub.test").path("/.well-known/mercure?match=h2"), true))
                        .sync();
                Http2HeadersFrame headers = (Http2HeadersFrame) frames.poll(5, TimeUnit.SECONDS);
                assertThat(headers).isNotNull();
                assertThat(headers.headers().status().toString()).isEqualTo("200");
                assertThat(headers.headers().get("content-type").toString()).isEqualTo("text/event-stream");
                assertThat(headers.isEndStream()).isFalse();

                hub.publish(Update.of("h2", "over h2"));
                StringBuilder body = new StringBuilder();
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (!body.toString().contains("data: over h2") && System.nanoTime() < deadline) {
                    Http2StreamFrame f = frames.poll(100, TimeUnit.MILLISECONDS);
                    if (f instanceof Http2DataFrame) {
                        Http2DataFrame d = (Http2DataFrame) f;
                        body.append(d.content().toString(StandardCharsets.UTF_8));
                        d.content().release();
                    }
                }
                assertThat(body.toString()).contains("data: over h2\n\n");
                connection.close().sync();
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
        }
    }

    @Test
    void h2cUpgradeServesTheStreamOverHttp2() throws Exception {
        try (Hub hub = TestHubs.start()) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(TestHubs.url(hub, "match=upgrade")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = r.body()) {
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
                hub.publish(Update.of("upgrade", "upgraded"));
                assertThat(readUntil(body, "data: upgraded")).contains("data: upgraded");
            }
        }
    }

    @Test
    void tlsWithAlpnNegotiatesHttp2AndStreams(@TempDir Path dir) throws Exception {
        Path openssl = External.require("openssl", "openssl");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p = new ProcessBuilder(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.exists(cert)).isTrue();
        try (Hub hub = TestHubs.builder().tls(cert, key).build().start()) {
            assertThat(hub.url().getScheme()).isEqualTo("https");
            SSLContext trustAll = SSLContext.getInstance("TLS");
            trustAll.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, new SecureRandom());
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(trustAll).build();
            HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(TestHubs.url(hub, "match=tls")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = r.body()) {
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
                hub.publish(Update.of("tls", "secure"));
                assertThat(readUntil(body, "data: secure")).contains("data: secure");
            }
            HttpResponse<String> published = client.send(HttpRequest.newBuilder(hub.url())
                    .header("Authorization", "Bearer " + TestHubs.publisherToken())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(Publish.form("topic", "tls", "data", "x"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(published.statusCode()).isEqualTo(200);
            assertThat(published.version()).isEqualTo(HttpClient.Version.HTTP_2);
        }
    }

    private static String readUntil(InputStream in, String text) throws Exception {
        StringBuilder got = new StringBuilder();
        byte[] buf = new byte[4096];
        java.util.concurrent.Future<?> reader = java.util.concurrent.Executors.newSingleThreadExecutor().submit(() -> {
            int n;
            while (!got.toString().contains(text) && (n = in.read(buf)) >= 0) {
                synchronized (got) {
                    got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            }
            return null;
        });
        try {
            reader.get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            reader.cancel(true);
        }
        synchronized (got) {
            return got.toString();
        }
    }

}
