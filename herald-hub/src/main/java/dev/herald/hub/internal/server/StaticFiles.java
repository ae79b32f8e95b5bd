package dev.herald.hub.internal.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web UI's files, read once from the classpath ({@value #RESOURCE_ROOT}) into memory. Only the
 * request paths listed in {@link #ROUTES} are served: anything else, including every path with
 * {@code ..} or an encoded slash, is simply not a key, so there is no directory traversal.
 *
 * <p>Immutable and thread-safe.
 */
final class StaticFiles {

    static final String RESOURCE_ROOT = "dev/herald/hub/ui/";
    /** Pages: revalidated on every load, so a new hub version is picked up at once. */
    static final String PAGE_CACHE_CONTROL = "no-cache";
    /** Scripts and styles: short-lived, so the demos stay snappy without stale code lingering. */
    static final String ASSET_CACHE_CONTROL = "public, max-age=300";

    /** Request path to resource name (relative to {@link #RESOURCE_ROOT}). */
    static final Map<String, String> ROUTES = routes();

    private final Map<String, File> files = new LinkedHashMap<>();

    /** One file to serve. */
    record File(byte[] body, String contentType, String cacheControl) {
    }

    /** @throws UncheckedIOException if a listed resource is missing from the jar */
    StaticFiles() {
        for (Map.Entry<String, String> e : ROUTES.entrySet()) {
            String name = e.getValue();
            try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(RESOURCE_ROOT + name)) {
                if (in == null) {
                    throw new UncheckedIOException(new IOException("web UI resource missing: " + RESOURCE_ROOT + name));
                }
                String type = contentType(name);
                files.put(e.getKey(), new File(in.readAllBytes(), type,
                        type.startsWith("text/html") ? PAGE_CACHE_CONTROL : ASSET_CACHE_CONTROL));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }

    /** The file for request path {@code path}, or {@code null}. */
    File get(String path) {
        return files.get(path);
    }

    private static Map<String, String> routes() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("/", "index.html");
        m.put("/demo/notifications", "notifications.html");
        m.put("/demo/market", "market.html");
        m.put("/demo/news", "news.html");
        m.put("/demo/presence", "presence.html");
        for (String asset : new String[] {"herald.css", "common.js", "chart.js", "overview.js", "notifications.js",
                "market.js", "news.js", "presence.js", "favicon.svg"}) {
            m.put("/ui/" + asset, asset);
        }
        return Map.copyOf(m);
    }

    static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        } else if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        } else if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        } else if (name.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "application/octet-stream";
    }
}
