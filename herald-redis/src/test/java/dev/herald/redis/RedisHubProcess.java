package dev.herald.redis;

import dev.herald.hub.Hub;
import dev.herald.hub.test.HubProcess;
import dev.herald.hub.test.TestHubs;
import java.net.URI;
import java.util.List;

/**
 * A hub of a Redis cluster in a process of its own, for tests that kill it: {@code RedisHubProcess
 * REDIS_URI [subscriptions]} starts the test hub on a free loopback port with that transport
 * (tracking active subscriptions when asked), prints {@code URL <hub url>} on one line, and serves
 * until killed.
 */
public final class RedisHubProcess {

    private RedisHubProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        Hub hub = TestHubs.builder().transport(URI.create(args[0]))
                .subscriptions(List.of(args).contains(HubProcess.SUBSCRIPTIONS)).build().start();
        System.out.println(HubProcess.URL_PREFIX + hub.url());
        System.out.flush();
        Thread.currentThread().join(); // until killed
    }

    /** Starts one and returns it with its URL once it listens. */
    static HubProcess.Started start(URI redis, String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = redis.toString();
        System.arraycopy(args, 0, all, 1, args.length);
        return HubProcess.launch(RedisHubProcess.class, all);
    }
}
