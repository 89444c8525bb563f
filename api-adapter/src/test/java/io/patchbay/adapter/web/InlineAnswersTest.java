package io.patchbay.adapter.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

/** A PATCH's answer is returned directly when ready within the bound, else as a future, and failures pass unchanged. */
class InlineAnswersTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    @Test
    void anAnswerReadyAtOnceIsAResponseEvenWithoutAnyWait() throws Exception {
        InlineAnswers answers = new InlineAnswers(Duration.ZERO, 0);

        Object response = answers.answer(CompletableFuture.completedFuture("done"), true, InlineAnswersTest::ok);

        assertThat(response).isEqualTo(ok("done"));
        assertThat(answers.inline()).isEqualTo(1);
        assertThat(answers.deferred()).isZero();
    }

    @Test
    void aRequestThatMayNotWaitGetsAFutureWhenItsAnswerIsNotReadyAtOnce() throws Exception {
        InlineAnswers answers = new InlineAnswers(LONG, 1);
        CompletableFuture<String> answer = new CompletableFuture<>();

        Object response = answers.answer(answer, false, InlineAnswersTest::ok);

        assertThat(response).isInstanceOf(CompletableFuture.class);
        assertThat(answers.answer(CompletableFuture.completedFuture("ready"), false, InlineAnswersTest::ok))
                .isEqualTo(ok("ready"));
        assertThat(answers.deferred()).isEqualTo(1);
        assertThat(answers.inline()).isEqualTo(1);
    }

    @Test
    void anAnswerCompletedWhileTheThreadWaitsIsAResponse() throws Exception {
        InlineAnswers answers = new InlineAnswers(LONG, 1);
        CompletableFuture<String> answer = new CompletableFuture<>();
        CompletableFuture.runAsync(() -> answer.complete("later"), CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));

        assertThat(answers.answer(answer, true, InlineAnswersTest::ok)).isEqualTo(ok("later"));
        assertThat(answers.inline()).isEqualTo(1);
    }

    @Test
    void anAnswerNotReadyWithinTheBoundIsAFutureOfTheResponse() throws Exception {
        InlineAnswers answers = new InlineAnswers(Duration.ofMillis(20), 1);
        CompletableFuture<String> answer = new CompletableFuture<>();

        Object response = answers.answer(answer, true, InlineAnswersTest::ok);

        assertThat(response).isInstanceOf(CompletableFuture.class);
        answer.complete("late");
        assertThat(((CompletableFuture<?>) response).get(30, TimeUnit.SECONDS)).isEqualTo(ok("late"));
        assertThat(answers.deferred()).isEqualTo(1);
        assertThat(answers.inline()).isZero();
    }

    @Test
    void noMoreThreadsWaitThanAllowedTheOthersGetAFutureAtOnce() throws Exception {
        InlineAnswers answers = new InlineAnswers(LONG, 1);
        CompletableFuture<String> first = new CompletableFuture<>();
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<Object> firstResponse = CompletableFuture.supplyAsync(() -> {
            waiting.countDown();
            return call(answers, first);
        }, newThread());
        waiting.await();
        // the first thread holds the only permit until its answer comes (or 30 s), so the second cannot wait
        awaitWaiting(answers);

        Object second = answers.answer(new CompletableFuture<String>(), true, InlineAnswersTest::ok);

        assertThat(second).isInstanceOf(CompletableFuture.class);
        first.complete("first");
        assertThat(firstResponse.get(30, TimeUnit.SECONDS)).isEqualTo(ok("first"));
    }

    @Test
    void aFailedAnswerThrowsItsCauseAsTheAsynchronousResponseWouldPassIt() {
        InlineAnswers answers = new InlineAnswers(LONG, 1);
        IllegalStateException failure = new IllegalStateException("publish failed");

        assertThatThrownBy(() -> answers.answer(CompletableFuture.<String>failedFuture(failure), true, InlineAnswersTest::ok))
                .isSameAs(failure);
        assertThatThrownBy(() -> answers.answer(CompletableFuture.supplyAsync(() -> {
            throw failure;
        }), true, InlineAnswersTest::ok)).isSameAs(failure);
    }

    private static ResponseEntity<byte[]> ok(String body) {
        return ResponseEntity.ok(body.getBytes());
    }

    private static Object call(InlineAnswers answers, CompletableFuture<String> answer) {
        try {
            return answers.answer(answer, true, InlineAnswersTest::ok);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Until a thread holds the permit: a call with no wait left gives a future at once while it does. */
    private static void awaitWaiting(InlineAnswers answers) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (answers.waitingNow() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(answers.waitingNow()).isEqualTo(1);
    }

    private static Executor newThread() {
        return runnable -> new Thread(runnable, "servlet-thread").start();
    }
}
