package dev.herald.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class RedisSettingsTest {

    @Test
    void aPlainUriUsesTheDefaultPrefix() {
        RedisSettings s = RedisSettings.parse(URI.create("redis://cache.internal:6380/2"));
        assertThat(s.prefix()).isEqualTo("herald");
        assertThat(s.redisUri().getHost()).isEqualTo("cache.internal");
        assertThat(s.redisUri().getPort()).isEqualTo(6380);
        assertThat(s.redisUri().getDatabase()).isEqualTo(2);
        assertThat(s).hasToString("redis://cache.internal:6380/2 (prefix herald)");
    }

    @Test
    void thePrefixParameterIsHeraldsAndOtherParametersGoToLettuce() {
        RedisSettings s = RedisSettings.parse(URI.create("redis://localhost?prefix=shop.eu&clientName=hub1"));
        assertThat(s.prefix()).isEqualTo("shop.eu");
        assertThat(s.redisUri().getClientName()).isEqualTo("hub1");
    }

    @Test
    void sentinelUrisNeedAMasterId() {
        RedisSettings s = RedisSettings.parse(URI.create("redis-sentinel://s1:26379,s2:26379/0?prefix=p#mymaster"));
        assertThat(s.redisUri().getSentinelMasterId()).isEqualTo("mymaster");
        assertThat(s.redisUri().getSentinels()).hasSize(2);
        assertThat(s.prefix()).isEqualTo("p");
        assertThatThrownBy(() -> RedisSettings.parse(URI.create("redis-sentinel://s1:26379")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must contain the sentinelMasterId");
    }

    @Test
    void credentialsNeverShowInDescriptionsOrMessages() {
        RedisSettings s = RedisSettings.parse(URI.create("rediss://user:s3cret@redis.example.com:6379?prefix=x"));
        assertThat(s.redisUri().isSsl()).isTrue();
        assertThat(s.toString()).isEqualTo("rediss://***@redis.example.com:6379 (prefix x)");
        assertThat(RedisSettings.redact(URI.create("redis://:pw@h/0?timeout=5s#m"))).isEqualTo("redis://***@h/0#m");
    }

    @Test
    void badPrefixesAndSchemesAreRefusedWithAReason() {
        assertThatThrownBy(() -> RedisSettings.parse(URI.create("redis://h?prefix=")))
                .hasMessage("prefix: '' (expected: 1 to 64 letters, digits, '_', '.', ':' or '-')");
        assertThatThrownBy(() -> RedisSettings.parse(URI.create("redis://h?prefix=a%20b")))
                .hasMessageStartingWith("prefix: 'a b'");
        assertThatThrownBy(() -> RedisSettings.parse(URI.create("http://h")))
                .hasMessage("'http:' (expected: redis://, rediss:// or redis-sentinel://)");
    }
}
