package dev.tributary.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Creates and drops one database's tables from SQL scripts, for tests, samples and demos (EllarSQL's
 * {@code create_all}/{@code drop_all}): {@code databases.schema("orders").create()} runs the classpath script
 * {@code db/schema/orders.sql}; {@code drop()} drops every table, view and sequence that script creates, in the
 * reverse order, with {@code DROP ... IF EXISTS}. For a schema that evolves in production use versioned
 * migrations instead ({@link Databases#migrate()}).
 *
 * <p>Statements run one after the other through the database's {@link Database#update update}, each on a pooled
 * connection; scripts are read off the event loop. Statements end at a {@code ;} outside quotes and comments.
 */
public final class Schema {

    private final Database database;

    Schema(Database database) {
        this.database = database;
    }

    /** The database these scripts run on. */
    public String database() {
        return database.name();
    }

    /** {@code db/schema/<database>.sql}, the script {@link #create()} and {@link #drop()} read. */
    public String defaultScript() {
        return "db/schema/" + database.name() + ".sql";
    }

    /** As {@link #create(String...)} with {@link #defaultScript()}. */
    public Mono<Integer> create() {
        return create(defaultScript());
    }

    /**
     * Runs the statements of the classpath scripts {@code resources}, in order.
     *
     * @return the number of statements run; signals {@link DatabaseConfigurationException} if a script is not on
     *     the classpath (before any statement runs), or the driver's error of the first statement that fails (the
     *     statements before it stay applied: DDL is not transactional everywhere)
     */
    public Mono<Integer> create(String... resources) {
        return scripts(resources).flatMap(scripts -> run(statements(scripts)));
    }

    /** As {@link #drop(String...)} with {@link #defaultScript()}. */
    public Mono<Integer> drop() {
        return drop(defaultScript());
    }

    /**
     * Drops every table, view and sequence the classpath scripts {@code resources} create
     * ({@code CREATE TABLE [IF NOT EXISTS] name}, ...), last created first, with {@code DROP ... IF EXISTS name}: a
     * missing object is no error, so it may run before {@link #create(String...)} to start from scratch.
     *
     * @return the number of {@code DROP} statements run; errors as {@link #create(String...)}
     */
    public Mono<Integer> drop(String... resources) {
        return scripts(resources).flatMap(scripts -> {
            List<String> drops = new ArrayList<>();
            for (SqlScript script : scripts) {
                for (SqlScript.Created created : script.created()) {
                    drops.add(0, created.dropSql());
                }
            }
            return run(drops);
        });
    }

    /** {@link #drop(String...)} then {@link #create(String...)}: the tables of the scripts, empty. */
    public Mono<Integer> recreate(String... resources) {
        return drop(resources).then(create(resources));
    }

    private Mono<Integer> run(List<String> statements) {
        return Flux.fromIterable(statements)
                .concatMap(database::update)
                .then(Mono.just(statements.size()));
    }

    private static List<String> statements(List<SqlScript> scripts) {
        List<String> statements = new ArrayList<>();
        scripts.forEach(s -> statements.addAll(s.statements()));
        return statements;
    }

    private Mono<List<SqlScript>> scripts(String... resources) {
        Objects.requireNonNull(resources, "resources");
        List<String> names = List.of(resources);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("name at least one script");
        }
        return Mono.fromCallable(() -> {
            List<SqlScript> scripts = new ArrayList<>();
            for (String name : names) {
                scripts.add(SqlScript.parse(name, read(name)));
            }
            return scripts;
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private String read(String resource) {
        String path = resource.startsWith("classpath:") ? resource.substring("classpath:".length()) : resource;
        path = path.startsWith("/") ? path.substring(1) : path;
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        InputStream found = context == null ? null : context.getResourceAsStream(path);
        try (InputStream in = found != null ? found : Schema.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new DatabaseConfigurationException("No SQL script '" + path + "' on the classpath for database '"
                        + database.name() + "'; put it under src/main/resources (or src/test/resources) or name another");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Reading SQL script '" + path + "' failed", e);
        }
    }

    @Override
    public String toString() {
        return "Schema[" + database.name() + "]";
    }
}
