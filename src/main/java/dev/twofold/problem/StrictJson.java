package dev.twofold.problem;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.CollectionType;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.Set;

/**
 * Request bodies are read as the contract types them, never by guessing: a number is no string,
 * {@code "true"} no boolean, {@code 1.5} no integer, an epoch number no date-time, and an array the
 * contract declares {@code uniqueItems} (a Java {@code Set}) must not repeat an item, which a set
 * would otherwise drop silently. Unknown properties are refused by
 * {@code quarkus.jackson.fail-on-unknown-properties}.
 */
@Singleton
class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        refuse(
                mapper,
                LogicalType.Textual,
                CoercionInputShape.Integer,
                CoercionInputShape.Float,
                CoercionInputShape.Boolean);
        refuse(
                mapper,
                LogicalType.Boolean,
                CoercionInputShape.Integer,
                CoercionInputShape.Float,
                CoercionInputShape.String);
        refuse(
                mapper,
                LogicalType.Integer,
                CoercionInputShape.Float,
                CoercionInputShape.Boolean,
                CoercionInputShape.String);
        refuse(mapper, LogicalType.Float, CoercionInputShape.Boolean, CoercionInputShape.String);
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.registerModule(new SimpleModule("twofold-strict-input").setDeserializerModifier(new StrictTypes()));
    }

    private static void refuse(ObjectMapper mapper, LogicalType target, CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) {
            mapper.coercionConfigFor(target).setCoercion(shape, CoercionAction.Fail);
        }
    }

    /** An array item that repeats an earlier one where the contract says {@code uniqueItems}. */
    static final class DuplicateItemException extends MismatchedInputException {

        DuplicateItemException(JsonParser parser, Class<?> type) {
            super(parser, "Duplicate array item", type);
        }
    }

    private static final class StrictTypes extends BeanDeserializerModifier {

        @Override
        public JsonDeserializer<?> modifyDeserializer(
                DeserializationConfig config, BeanDescription description, JsonDeserializer<?> deserializer) {
            // Jackson's java.time readers take numbers as epoch seconds; RFC 3339 is text only.
            return Temporal.class.isAssignableFrom(description.getBeanClass())
                    ? new TextOnly(deserializer)
                    : deserializer;
        }

        @Override
        public JsonDeserializer<?> modifyCollectionDeserializer(
                DeserializationConfig config,
                CollectionType type,
                BeanDescription description,
                JsonDeserializer<?> deserializer) {
            return Set.class.isAssignableFrom(type.getRawClass()) ? new UniqueItems(deserializer) : deserializer;
        }
    }

    private static final class TextOnly extends DelegatingDeserializer {

        TextOnly(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new TextOnly(delegate);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return context.handleUnexpectedToken(handledType(), parser);
            }
            return super.deserialize(parser, context);
        }
    }

    private static final class UniqueItems extends DelegatingDeserializer {

        UniqueItems(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
            return new UniqueItems(delegate);
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (!parser.isExpectedStartArrayToken()) {
                return super.deserialize(parser, context);
            }
            // Bodies are small (quarkus.http.limits.max-body-size): read the array once as a tree,
            // let the set reader convert it, and compare the counts.
            JsonNode items = context.readTree(parser);
            try (JsonParser replay = items.traverse(parser.getCodec())) {
                replay.nextToken();
                Collection<?> unique = (Collection<?>) super.deserialize(replay, context);
                if (unique.size() < items.size()) {
                    throw new DuplicateItemException(parser, handledType());
                }
                return unique;
            }
        }
    }
}
