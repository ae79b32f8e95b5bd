package dev.herald.hub.test;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * One HTML page on an origin of its own (loopback, a free port), for browser tests of cross-origin
 * use of the hub, and the {@code window.heraldLog} array such pages record what they see in.
 */
public final class TestPage implements AutoCloseable {

    private final HttpServer server;
    private volatile byte[] html = new byte[0];

    private TestPage(HttpServer server) {
        this.server = server;
        server.createContext("/", exchange -> {
            byte[] body = html;
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /** Starts serving (an empty page until {@link #serve}). */
    public static TestPage start() throws IOException {
        return new TestPage(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
    }

    /** {@code http://127.0.0.1:PORT}, for the hub's CORS list. */
    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves {@code page} at {@code /} from now on. */
    public void serve(String page) {
        this.html = page.getBytes(StandardCharsets.UTF_8);
    }

    /** The page's {@code window.heraldLog}: one map per entry the page pushed. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> log(WebDriver browser) {
        return (List<Map<String, Object>>) ((JavascriptExecutor) browser).executeScript("return window.heraldLog;");
    }

    /** How many entries of the page's log have this {@code kind}. */
    public static long count(WebDriver browser, String kind) {
        return log(browser).stream().filter(e -> kind.equals(e.get("kind"))).count();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
