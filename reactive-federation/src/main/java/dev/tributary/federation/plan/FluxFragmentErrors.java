package dev.tributary.federation.plan;

import dev.tributary.core.Row;
import dev.tributary.core.TributaryException;
import java.util.function.Function;
import org.reactivestreams.Subscription;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * A fragment's rows as they are, its error (other than a {@link TributaryException}) wrapped to name the
 * fragment. Reactor's {@code onErrorMap} is an {@code onErrorResume}, whose subscriber does an atomic update per
 * row to be ready to switch sources; one error needs no switch, so rows pass here without one.
 */
final class FluxFragmentErrors extends FluxOperator<Row, Row> {

    private final Function<Throwable, TributaryException> wrap;

    FluxFragmentErrors(Flux<Row> source, Function<Throwable, TributaryException> wrap) {
        super(source);
        this.wrap = wrap;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Row> actual) {
        source.subscribe(new ErrorsSubscriber(actual, wrap));
    }

    private static final class ErrorsSubscriber implements CoreSubscriber<Row>, Subscription, Scannable {

        private final CoreSubscriber<? super Row> actual;
        private final Function<Throwable, TributaryException> wrap;
        private Subscription upstream = Operators.emptySubscription();

        ErrorsSubscriber(CoreSubscriber<? super Row> actual, Function<Throwable, TributaryException> wrap) {
            this.actual = actual;
            this.wrap = wrap;
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public @Nullable Object scanUnsafe(Attr key) {
            if (key == Attr.PARENT) {
                return upstream;
            }
            if (key == Attr.ACTUAL) {
                return actual;
            }
            if (key == Attr.RUN_STYLE) {
                return Attr.RunStyle.SYNC;
            }
            return null;
        }

        @Override
        public void onSubscribe(Subscription s) {
            if (Operators.validate(null, s)) {
                upstream = s;
                actual.onSubscribe(this);
            }
        }

        @Override
        public void onNext(Row row) {
            actual.onNext(row);
        }

        @Override
        public void onError(Throwable error) {
            Throwable signalled = error;
            if (!(error instanceof TributaryException)) {
                try {
                    signalled = wrap.apply(error);
                } catch (Throwable e) {
                    signalled = Operators.onOperatorError(e, actual.currentContext());
                }
            }
            actual.onError(signalled);
        }

        @Override
        public void onComplete() {
            actual.onComplete();
        }

        @Override
        public void request(long n) {
            upstream.request(n);
        }

        @Override
        public void cancel() {
            upstream.cancel();
        }
    }
}
