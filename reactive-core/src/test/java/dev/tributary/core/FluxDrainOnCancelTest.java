package dev.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.R2dbcBadGrammarException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.Scannable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.test.scheduler.VirtualTimeScheduler;

class FluxDrainOnCancelTest {

    private final TestPublisher<Integer> driver = TestPublisher.createCold();
    private final Sinks.One<Boolean> outcome = Sinks.one();
    private final VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();

    @AfterEach
    void resetTime() {
        VirtualTimeScheduler.reset();
    }

    private FluxDrainOnCancel<Integer> rows() {
        return new FluxDrainOnCancel<>(driver.flux(), 3, Duration.ofMillis(100), outcome);
    }

    private Boolean outcome() {
        AtomicReference<Boolean> result = new AtomicReference<>();
        outcome.asMono().subscribe(result::set);
        return result.get();
    }

    private void takeTheFirstOfOneRow() {
        driver.next(1);
        StepVerifier.create(rows().take(1)).expectNext(1).expectComplete().verify(Duration.ofSeconds(5));
    }

    @Test
    void rowsPassThroughAsRequested() {
        driver.emit(1, 2, 3);
        StepVerifier.create(rows(), 0)
                .thenRequest(2)
                .expectNext(1, 2)
                .thenRequest(5)
                .expectNext(3)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(outcome()).as("no cancel, no outcome").isNull();
    }

    @Test
    void cancelOfAResultThatEndsWithinTheBudgetLeavesTheConnectionClean() {
        driver.next(1, 2, 3);
        StepVerifier.create(rows().take(1)).expectNext(1).expectComplete().verify(Duration.ofSeconds(5));
        assertThat(outcome()).isNull();
        driver.complete();
        assertThat(outcome()).isTrue();
        driver.assertWasNotCancelled();
    }

    @Test
    void cancelOfALargeResultCancelsTheDriverAfterTheRowBudget() {
        for (int i = 0; i < 10; i++) {
            driver.next(i);
        }
        StepVerifier.create(rows().take(2)).expectNext(0, 1).expectComplete().verify(Duration.ofSeconds(5));
        assertThat(outcome()).isFalse();
        driver.assertCancelled();
    }

    @Test
    void cancelOfAStalledResultCancelsTheDriverAfterTheTimeBudget() {
        takeTheFirstOfOneRow();
        time.advanceTimeBy(Duration.ofMillis(99));
        assertThat(outcome()).isNull();
        driver.assertWasNotCancelled();
        time.advanceTimeBy(Duration.ofMillis(1));
        assertThat(outcome()).isFalse();
        driver.assertCancelled();
    }

    @Test
    void cancelBeforeTheFirstRowCancelsTheDriverAtOnce() {
        StepVerifier.create(rows(), 1).expectSubscription().thenCancel().verify(Duration.ofSeconds(5));
        assertThat(outcome()).isFalse();
        driver.assertCancelled();
    }

    @Test
    void driverErrorWhileDrainingLeavesTheConnectionClean() {
        takeTheFirstOfOneRow();
        driver.error(new R2dbcBadGrammarException("late"));
        assertThat(outcome()).isTrue();
    }

    @Test
    void otherErrorWhileDrainingInvalidates() {
        takeTheFirstOfOneRow();
        driver.error(new IllegalStateException("decoder broke"));
        assertThat(outcome()).isFalse();
    }

    @Test
    void theDrainingSubscriberIsScannableAndScansCancelledOnceTheCallerCancels() {
        AtomicReference<Subscription> given = new AtomicReference<>();
        BaseSubscriber<Integer> subscriber = new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                given.set(subscription);
                subscription.request(1);
            }
        };
        FluxDrainOnCancel<Integer> rows = rows();
        assertThat(Scannable.from(rows).scan(Scannable.Attr.PARENT)).isNotNull();
        rows.subscribe(subscriber);
        Scannable drain = Scannable.from(given.get());
        assertThat(drain.scanUnsafe(Scannable.Attr.ACTUAL)).isSameAs(subscriber);
        assertThat(drain.scan(Scannable.Attr.PARENT)).isNotNull();
        assertThat(drain.scan(Scannable.Attr.CANCELLED)).isFalse();
        driver.next(1);
        subscriber.cancel();
        assertThat(drain.scan(Scannable.Attr.CANCELLED)).isTrue();
        driver.complete();
        assertThat(drain.scan(Scannable.Attr.TERMINATED)).isTrue();
        assertThat(outcome()).isTrue();
    }

}
