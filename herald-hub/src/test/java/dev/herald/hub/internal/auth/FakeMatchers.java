package dev.herald.hub.internal.auth;

import dev.herald.hub.internal.topic.InvalidMatcherException;
import dev.herald.hub.internal.topic.TopicMatcher;
import dev.herald.hub.internal.topic.TopicMatcherFactory;

/**
 * A test-only matcher factory, so these tests do not depend on the real one: {@code exact} (byte
 * equality), the {@code *} wildcard whatever the type, and a fake {@code urlpattern} where
 * {@code prefix/:name} matches {@code prefix/} followed by one non-empty segment without {@code /}.
 * Values containing a line break are invalid for every type; other types are unsupported.
 */
final class FakeMatchers implements TopicMatcherFactory {

    static final FakeMatchers INSTANCE = new FakeMatchers();

    @Override
    public TopicMatcher create(String type, String value) throws InvalidMatcherException {
        if (!type.equals("exact") && !type.equals("urlpattern")) {
            throw new InvalidMatcherException("unsupported matcher type");
        }
        if (value.indexOf('\n') >= 0) {
            throw new InvalidMatcherException("invalid matcher value");
        }
        if (value.equals("*")) {
            return new Matcher(type, value) {
                @Override
                public boolean matches(String topic) {
                    return true;
                }

                @Override
                public boolean isWildcard() {
                    return true;
                }
            };
        }
        int variable = value.indexOf("/:");
        if (type.equals("urlpattern") && variable >= 0) {
            String prefix = value.substring(0, variable + 1);
            return new Matcher(type, value) {
                @Override
                public boolean matches(String topic) {
                    return topic.startsWith(prefix) && topic.length() > prefix.length()
                            && topic.indexOf('/', prefix.length()) < 0;
                }
            };
        }
        return new Matcher(type, value) {
            @Override
            public boolean matches(String topic) {
                return topic.equals(value);
            }
        };
    }

    private abstract static class Matcher implements TopicMatcher {
        private final String type;
        private final String value;

        Matcher(String type, String value) {
            this.type = type;
            this.value = value;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public String value() {
            return value;
        }
    }
}
