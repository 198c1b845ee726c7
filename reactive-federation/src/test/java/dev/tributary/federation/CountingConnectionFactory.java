package dev.tributary.federation;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A connection factory that counts, for tests of demand: the rows requested from every result read through it
 * ({@link Result#map} demand), and the rows written by the INSERT statements run through it (each bind set of a
 * statement, counted when the statement completes).
 */
final class CountingConnectionFactory implements ConnectionFactory {

    /** Counters shared by several factories. */
    static final class Counters {
        final AtomicLong rowsRequested = new AtomicLong();
        final AtomicLong rowsWritten = new AtomicLong();
        final AtomicLong maxAhead = new AtomicLong();
        volatile LongConsumer onWritten = n -> { };

        void reset() {
            rowsRequested.set(0);
            rowsWritten.set(0);
            maxAhead.set(0);
            onWritten = n -> { };
        }

        private void requested(long n) {
            long total = n == Long.MAX_VALUE ? Long.MAX_VALUE / 2 : rowsRequested.addAndGet(n);
            maxAhead.accumulateAndGet(total - rowsWritten.get(), Math::max);
        }

        private void written(long n) {
            onWritten.accept(rowsWritten.addAndGet(n));
        }
    }

    private final ConnectionFactory delegate;
    private final Counters counters;

    CountingConnectionFactory(ConnectionFactory delegate, Counters counters) {
        this.delegate = delegate;
        this.counters = counters;
    }

    @Override
    public Publisher<? extends Connection> create() {
        return Mono.from(delegate.create()).map(c -> proxy(Connection.class, c, (proxy, m, args) -> {
            Object result = invoke(c, m, args);
            return m.getName().equals("createStatement") ? statement((Statement) result, (String) args[0]) : result;
        }));
    }

    @Override
    public ConnectionFactoryMetadata getMetadata() {
        return delegate.getMetadata();
    }

    private Statement statement(Statement statement, String sql) {
        boolean insert = sql.stripLeading().toUpperCase(Locale.ROOT).startsWith("INSERT");
        AtomicInteger sets = new AtomicInteger(1);
        return proxy(Statement.class, statement, new InvocationHandler() {
            @Override
            public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
                if (m.getName().equals("execute")) {
                    int n = sets.get();
                    Flux<Result> results = Flux.from(statement.execute()).map(CountingConnectionFactory.this::result);
                    return insert ? results.doOnComplete(() -> counters.written(n)) : results;
                }
                if (m.getName().equals("add")) {
                    sets.incrementAndGet();
                }
                Object result = CountingConnectionFactory.invoke(statement, m, args);
                return result == statement ? proxy : result;
            }
        });
    }

    private Result result(Result result) {
        return proxy(Result.class, result, (proxy, m, args) -> {
            Object out = invoke(result, m, args);
            return m.getName().equals("map") ? Flux.from((Publisher<?>) out).doOnRequest(counters::requested) : out;
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
