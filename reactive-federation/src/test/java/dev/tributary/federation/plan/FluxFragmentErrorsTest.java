package dev.tributary.federation.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.Columns;
import dev.tributary.core.Row;
import dev.tributary.core.TributaryException;
import io.r2dbc.spi.R2dbcBadGrammarException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class FluxFragmentErrorsTest {

    private static final Columns K = Columns.of("k");

    private static FluxFragmentErrors wrapped(Flux<Row> source) {
        return new FluxFragmentErrors(source, e -> new TributaryException("Fragment #1 failed: " + e.getMessage(), e));
    }

    @Test
    void rowsPassAsRequestedThenADriverErrorIsWrappedWithItsCause() {
        List<Long> requests = new CopyOnWriteArrayList<>();
        R2dbcBadGrammarException cause = new R2dbcBadGrammarException("no such column");
        Flux<Row> source = Flux.range(1, 3).map(i -> Row.of(K, i)).concatWith(Flux.error(cause))
                .doOnRequest(requests::add);
        StepVerifier.create(wrapped(source), 0)
                .thenRequest(2)
                .expectNextCount(2)
                .then(() -> assertThat(requests).containsExactly(2L))
                .thenRequest(5)
                .expectNextCount(1)
                .expectErrorSatisfies(e -> assertThat(e).isExactlyInstanceOf(TributaryException.class)
                        .hasMessage("Fragment #1 failed: no such column").hasCause(cause))
                .verify();
    }

    @Test
    void tributaryErrorsPassAsTheyAreAndCancelReachesTheSource() {
        TributaryException own = new TributaryException("budget");
        StepVerifier.create(wrapped(Flux.error(own))).expectErrorMatches(e -> e == own).verify();
        AtomicBoolean cancelled = new AtomicBoolean();
        StepVerifier.create(wrapped(Flux.<Row>never().doOnCancel(() -> cancelled.set(true))))
                .expectSubscription()
                .thenCancel()
                .verify();
        assertThat(cancelled).isTrue();
    }

    @Test
    void theSubscriberIsScannableToItsSourceAndSubscriber() {
        java.util.concurrent.atomic.AtomicReference<org.reactivestreams.Subscription> given =
                new java.util.concurrent.atomic.AtomicReference<>();
        reactor.core.publisher.BaseSubscriber<Row> subscriber = new reactor.core.publisher.BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
                given.set(subscription);
            }
        };
        FluxFragmentErrors fragment = wrapped(Flux.never());
        assertThat(reactor.core.Scannable.from(fragment).scan(reactor.core.Scannable.Attr.PARENT)).isNotNull();
        fragment.subscribe(subscriber);
        reactor.core.Scannable scanned = reactor.core.Scannable.from(given.get());
        assertThat(scanned.scanUnsafe(reactor.core.Scannable.Attr.ACTUAL)).isSameAs(subscriber);
        assertThat(scanned.scan(reactor.core.Scannable.Attr.PARENT)).isNotNull();
        subscriber.cancel();
    }
}
