package dev.herald.hub.internal.form;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

class FormParserPropertiesTest {

    private static final FormParser PARSER = FormParser.withDefaults();

    @Property
    void parsesBackWhatUrlSearchParamsSerializes(
            @ForAll @Size(max = 6) List<@StringLength(max = 12) String> names,
            @ForAll @Size(max = 6) List<@StringLength(max = 12) String> values) throws FormException {
        List<FormData.Field> fields = new ArrayList<>();
        for (int i = 0; i < Math.min(names.size(), values.size()); i++) {
            Assume.that(isWellFormed(names.get(i)) && isWellFormed(values.get(i)));
            fields.add(new FormData.Field(names.get(i), values.get(i)));
        }
        StringBuilder encoded = new StringBuilder();
        for (FormData.Field field : fields) {
            if (encoded.length() > 0) {
                encoded.append('&');
            }
            // the application/x-www-form-urlencoded serializer: what URLSearchParams and browsers send
            encoded.append(URLEncoder.encode(field.name(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(field.value(), StandardCharsets.UTF_8));
        }

        assertThat(PARSER.parse(encoded.toString()).fields()).isEqualTo(fields);
    }

    @Property
    void arbitraryBytesEitherParseOrAreRefusedAsMalformed(@ForAll @Size(max = 64) byte[] input) {
        try {
            FormData data = PARSER.parse(input);
            for (FormData.Field field : data) {
                assertThat(field.name().getBytes(StandardCharsets.UTF_8).length
                        + field.value().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(input.length);
            }
        } catch (MalformedFormException expected) {
            assertThat(expected).hasMessageStartingWith("invalid UTF-8");
        } catch (FormException unexpected) {
            throw new AssertionError(unexpected);
        }
    }

    private static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
