package dev.herald.hub.internal.form;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The name/value pairs of an {@code application/x-www-form-urlencoded} input, in input order, with
 * repeated names kept (the WHATWG URL Standard's output "list of name-value tuples"). Names are
 * case-sensitive.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class FormData implements Iterable<FormData.Field> {

    private static final FormData EMPTY = new FormData(List.of());

    /** One name/value pair; a name given without {@code =} has the empty value. Immutable and thread-safe. */
    public record Field(String name, String value) {

        public Field {
            requireNonNull(name, "name");
            requireNonNull(value, "value");
        }
    }

    private final List<Field> fields;
    private final Map<String, List<String>> valuesByName;

    private FormData(List<Field> fields) {
        this.fields = fields;
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (Field field : fields) {
            byName.computeIfAbsent(field.name(), name -> new ArrayList<>(1)).add(field.value());
        }
        byName.replaceAll((name, values) -> Collections.unmodifiableList(values));
        this.valuesByName = Collections.unmodifiableMap(byName);
    }

    /** No fields. */
    public static FormData empty() {
        return EMPTY;
    }

    /** The given fields, in order. */
    public static FormData of(List<Field> fields) {
        return fields.isEmpty() ? EMPTY : new FormData(List.copyOf(fields));
    }

    /** The given name/value pairs, in order: {@code of("a", "1", "b", "2")}. */
    public static FormData of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("namesAndValues: " + namesAndValues.length
                    + " strings (expected: an even number)");
        }
        List<Field> fields = new ArrayList<>(namesAndValues.length / 2);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.add(new Field(namesAndValues[i], namesAndValues[i + 1]));
        }
        return of(fields);
    }

    /**
     * Every field of {@code first} then every field of {@code second}, as if they had appeared in one
     * component: the union Mercure §"Subscription" asks for when a request carries parameters in
     * both its query and its body. {@link #first} then prefers {@code first}'s value.
     */
    public static FormData union(FormData first, FormData second) {
        requireNonNull(first, "first");
        requireNonNull(second, "second");
        if (second.fields.isEmpty()) {
            return first;
        }
        if (first.fields.isEmpty()) {
            return second;
        }
        List<Field> all = new ArrayList<>(first.fields.size() + second.fields.size());
        all.addAll(first.fields);
        all.addAll(second.fields);
        return new FormData(Collections.unmodifiableList(all));
    }

    /** The values of every field named {@code name}, in order; empty when there is none. */
    public List<String> all(String name) {
        return valuesByName.getOrDefault(requireNonNull(name, "name"), List.of());
    }

    /** The value of the first field named {@code name}. */
    public Optional<String> first(String name) {
        List<String> values = all(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Whether a field named {@code name} is present (with any value, possibly empty). */
    public boolean contains(String name) {
        return valuesByName.containsKey(requireNonNull(name, "name"));
    }

    /** The distinct names, in order of first appearance. */
    public Set<String> names() {
        return valuesByName.keySet();
    }

    /** All fields, in order. */
    public List<Field> fields() {
        return fields;
    }

    /** The number of fields, repeated names counted each time. */
    public int size() {
        return fields.size();
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    @Override
    public Iterator<Field> iterator() {
        return fields.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FormData && ((FormData) o).fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return "FormData" + fields;
    }
}
