package dev.herald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Secrets#mask}: every form in which Lettuce reads a Redis password from a URI (user and
 * password, password alone with or without a leading colon, any of its schemes) and secret-looking
 * query parameters are masked; the rest of the URI stays readable.
 */
class SecretsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            redis://user:s3cret@redis.internal:6379/0          | redis://user:****@redis.internal:6379/0
            redis://:s3cret@redis.internal:6379                | redis://:****@redis.internal:6379
            redis://s3cret@redis.internal:6379                 | redis://****@redis.internal:6379
            rediss://s3cret@redis.internal:6380?prefix=a       | rediss://****@redis.internal:6380?prefix=a
            rediss://user:s3cret@redis.internal                | rediss://user:****@redis.internal
            redis-sentinel://s3cret@h1:26379,h2:26379/0#master | redis-sentinel://****@h1:26379,h2:26379/0#master
            redis-sentinel://:s3cret@h1,h2#master              | redis-sentinel://:****@h1,h2#master
            rediss-sentinel://u:s3cret@h1#master               | rediss-sentinel://u:****@h1#master
            redis+ssl://s3cret@redis.internal                  | redis+ssl://****@redis.internal
            redis-socket://s3cret@/var/run/redis.sock          | redis-socket://****@/var/run/redis.sock
            REDIS://s3cret@redis.internal                      | REDIS://****@redis.internal
            redis://user:s3c@ret@redis.internal                | redis://user:****@redis.internal
            redis://:s3c/ret@redis.internal                    | redis://:****@redis.internal
            redis://:s3c#ret@redis.internal                    | redis://:****@redis.internal
            redis://u:s3c%40ret@redis.internal                 | redis://u:****@redis.internal
            https://user:s3cret@jwks.example/keys              | https://user:****@jwks.example/keys
            https://s3cret@jwks.example/keys                   | https://****@jwks.example/keys
            https://jwks.example/keys?access_token=s3cret&x=1  | https://jwks.example/keys?access_token=****&x=1
            redis://redis.internal?password=s3cret             | redis://redis.internal?password=****
            redis://redis.internal:6379?prefix=a&clientName=b  | redis://redis.internal:6379?prefix=a&clientName=b
            https://hub.example.com/.well-known/mercure        | https://hub.example.com/.well-known/mercure
            https://hub.example.com/a@b                        | https://hub.example.com/a@b
            redis://user:@redis.internal                       | redis://user:@redis.internal
            https://y.example=pem:@/etc/y.pem                  | https://y.example=pem:@/etc/y.pem
            """)
    void everyFormOfAUrlPasswordIsMaskedAndTheRestShown(String value, String shown) {
        assertThat(Secrets.mask("transport", value)).isEqualTo(shown).doesNotContain("s3c");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            publisher-jwt-key | s3cret          | ****
            publisher-jwt-key | @/run/secrets/k | @/run/secrets/k
            redis-password    | s3cret          | ****
            key               | /etc/tls/key.pem | /etc/tls/key.pem
            publisher-issuer  | https://x=hmac:s3cret | https://x=hmac:****
            publisher-issuer  | https://x=pem:@/etc/x.pem | https://x=pem:@/etc/x.pem
            """)
    void secretSettingsAndHmacIssuersAreMasked(String key, String value, String shown) {
        assertThat(Secrets.mask(key, value)).isEqualTo(shown);
    }
}
