package dev.herald.hub;

import java.time.Duration;
import java.util.List;

/**
 * Mints access tokens for the web UI's token minter, a development aid: with one configured
 * ({@link Hub.Builder#uiTokenMinter}), the overview page lets whoever reaches the hub ask
 * {@code POST /ui/api/token} for a token granting the matchers they typed, and copy it into a
 * publisher or a subscriber. {@code herald serve --dev} configures one that signs with the hub's own
 * publisher key; never configure one on a hub others can reach.
 *
 * <p>Implementations must be thread-safe and quick (they run on an event loop): signing with an HMAC
 * key is.
 */
@FunctionalInterface
public interface UiTokenMinter {

    /**
     * A signed token (compact JWS) granting {@code publish} and {@code subscribe} on these matchers.
     *
     * @param publish matchers granted publish ({@code *} for every topic); may be empty
     * @param subscribe matchers granted subscribe; may be empty, but not both
     * @param urlPatterns whether the matchers are URL patterns rather than exact topics
     * @param lifetime how long the token is valid, positive
     * @param subject the token's {@code sub}
     * @throws IllegalArgumentException with a reason to show when the request cannot be honoured
     */
    String mint(List<String> publish, List<String> subscribe, boolean urlPatterns, Duration lifetime, String subject);
}
