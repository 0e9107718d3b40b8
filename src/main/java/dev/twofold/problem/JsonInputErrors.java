package dev.twofold.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Names the body field a Jackson failure is about, and what the contract wants there, without
 * ever repeating the value (it may be a secret). A body that is not JSON at all names no field.
 */
final class JsonInputErrors {

    private JsonInputErrors() {}

    static Optional<ProblemException.InvalidField> field(JsonProcessingException failure) {
        if (!(failure instanceof JsonMappingException mapping)) {
            return Optional.empty();
        }
        String field = pointer(mapping);
        if (field.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ProblemException.InvalidField(field, message(mapping)));
    }

    /** {@code allowedIps[2]}, {@code credential.name}: the path as the caller wrote it. */
    private static String pointer(JsonMappingException mapping) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference step : mapping.getPath()) {
            if (step.getFieldName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(step.getFieldName());
            } else if (step.getIndex() >= 0) {
                field.append('[').append(step.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    private static String message(JsonMappingException mapping) {
        if (mapping instanceof PropertyBindingException) {
            return "is not a property of this request";
        }
        if (mapping instanceof StrictJson.DuplicateItemException) {
            return "must not contain the same item twice";
        }
        if (String.valueOf(mapping.getOriginalMessage()).startsWith("Missing required creator property")) {
            return "must not be null";
        }
        Class<?> expected = expectedType(mapping);
        return expected == null ? "has the wrong type" : "must be " + describe(expected);
    }

    private static Class<?> expectedType(JsonMappingException mapping) {
        if (mapping instanceof MismatchedInputException mismatch) {
            return mismatch.getTargetType();
        }
        if (mapping instanceof ValueInstantiationException instantiation) {
            JavaType type = instantiation.getType();
            return type == null ? null : type.getRawClass();
        }
        return null;
    }

    private static String describe(Class<?> type) {
        if (type.isEnum()) {
            return "one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(Object::toString)
                            .collect(Collectors.joining(", "));
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "an RFC 3339 date-time such as 2027-05-23T00:00:00Z";
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return Map.class.isAssignableFrom(type) || !type.getName().startsWith("java.")
                ? "an object"
                : "of another type";
    }
}
