package dev.twofold.platform;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.inject.Qualifier;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * The maintenance pool ({@code @Maintenance io.vertx.mutiny.sqlclient.Pool}): for statements that
 * may scan whole tables (boot checks, rotation counts, purges), bounded by
 * {@code twofold.database.maintenance-statement-timeout} instead of the stall timeout.
 */
@Qualifier
@Retention(RUNTIME)
@Target({FIELD, METHOD, PARAMETER})
public @interface Maintenance {}
