package dev.twofold.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.ws.rs.core.MultivaluedMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/**
 * Reads a form-encoded body into the contract's model of it exactly as strictly as a JSON body: an
 * unknown or repeated field, a value outside an enum or a missing required field is a
 * {@code validation-failed} naming the field, and the model's constraints are checked.
 */
@Singleton
public class FormBodies {

    private final ObjectMapper json;
    private final Validator validator;

    FormBodies(ObjectMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    public <T> T read(MultivaluedMap<String, String> form, Class<T> model) {
        ObjectNode fields = json.createObjectNode();
        form.forEach((name, values) -> {
            if (values.size() == 1) {
                fields.put(name, values.get(0));
            } else {
                // A repeated field reaches the model as an array, which no field of ours accepts.
                ArrayNode repeated = fields.putArray(name);
                values.forEach(repeated::add);
            }
        });
        T body = bind(fields, model);
        Set<ConstraintViolation<T>> violations = validator.validate(body);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return body;
    }

    private <T> T bind(ObjectNode fields, Class<T> model) {
        try {
            return json.readerFor(model).readValue(fields);
        } catch (JsonProcessingException e) {
            throw JsonInputErrors.field(e)
                    .map(field -> ProblemException.invalidFields(List.of(field)))
                    .orElseGet(
                            () -> new ProblemException(ProblemType.MALFORMED_REQUEST, "The form body is malformed."));
        } catch (IOException e) {
            // Reading an in-memory tree performs no I/O.
            throw new UncheckedIOException(e);
        }
    }
}
