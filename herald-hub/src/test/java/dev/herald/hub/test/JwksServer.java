package dev.herald.hub.test;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JWK Set endpoint on loopback for tests: serves the current document, counts fetches, and can
 * hold its answers (to show that a slow fetch never blocks the hub's event loops).
 */
public final class JwksServer implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile String document;
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile CountDownLatch fetched = new CountDownLatch(1);

    public JwksServer(String document) throws IOException {
        this.document = document;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            fetched.countDown();
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = this.document.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/jwk-set+json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-jwks");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
    }

    public void document(String document) {
        this.document = document;
    }

    public int fetches() {
        return fetches.get();
    }

    /** Holds every answer until {@link #release()}; {@link #awaitFetch} then tells when a fetch is waiting. */
    public void hold() {
        gate = new CountDownLatch(1);
        fetched = new CountDownLatch(1);
    }

    public boolean awaitFetch(long millis) throws InterruptedException {
        return fetched.await(millis, TimeUnit.MILLISECONDS);
    }

    public void release() {
        gate.countDown();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
