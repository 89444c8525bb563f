package io.patchbay.adapter.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

/**
 * A PATCH's answer is returned directly when ready within the bound, else handed on as the future of the response, and
 * failures pass unchanged.
 */
class InlineAnswersTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private final List<CompletableFuture<ResponseEntity<byte[]>>> handedOn = new CopyOnWriteArrayList<>();

    @Test
    void anAnswerReadyAtOnceIsAResponseEvenWithoutAnyWait() throws Exception {
        InlineAnswers answers = new InlineAnswers(Duration.ZERO, 0);

        Object response = answers.answer(CompletableFuture.completedFuture("done"), true, InlineAnswersTest::ok, handedOn::add);

        assertThat(response).isEqualTo(ok("done"));
        assertThat(answers.inline()).isEqualTo(1);
        assertThat(answers.deferred()).isZero();
    }

    @Test
    void aRequestThatMayNotWaitIsHandedOnWhenItsAnswerIsNotReadyAtOnce() throws Exception {
        InlineAnswers answers = new InlineAnswers(LONG, 1);
        CompletableFuture<String> answer = new CompletableFuture<>();

        Object response = answers.answer(answer, false, InlineAnswersTest::ok, handedOn::add);

        assertThat(response).isNull();
        assertThat(handedOn).hasSize(1);
        assertThat(answers.answer(CompletableFuture.completedFuture("ready"), false, InlineAnswersTest::ok, handedOn::add))
                .isEqualTo(ok("ready"));
        assertThat(answers.deferred()).isEqualTo(1);
        assertThat(answers.inline()).isEqualTo(1);
    }

    @Test
    void anAnswerCompletedWhileTheThreadWaitsIsAResponse() throws Exception {
        InlineAnswers answers = new InlineAnswers(LONG, 1);
        CompletableFuture<String> answer = new CompletableFuture<>();
        CompletableFuture.runAsync(() -> answer.complete("later"), CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));

        assertThat(answers.answer(answer, true, InlineAnswersTest::ok, handedOn::add)).isEqualTo(ok("later"));
        assertThat(answers.inline()).isEqualTo(1);
    }

    @Test
    void anAnswerNotReadyWithinTheBoundIsHandedOnAsTheFutureOfTheResponse() throws Exception {
        InlineAnswers answers = new InlineAnswers(Duration.ofMillis(20), 1);
        CompletableFuture<String> answer = new CompletableFuture<>();

        Object response = answers.answer(answer, true, InlineAnswersTest::ok, handedOn::add);

        assertThat(response).isNull();
        assertThat(handedOn).hasSize(1);
        answer.complete("late");
        assertThat(handedOn.get(0).get(30, TimeUnit.SECONDS)).isEqualTo(ok("late"));
        assertThat(answers.deferred()).isEqualTo(1);
        assertThat(answers.inline()).isZero();
    }

    @Test
    void noMoreThreadsWaitThanAllowedTheOthersAreHandedOnAtOnce() throws Exception {
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

        Object second = answers.answer(new CompletableFuture<String>(), true, InlineAnswersTest::ok, handedOn::add);

        assertThat(second).isNull();
        assertThat(handedOn).hasSize(1);
        first.complete("first");
        assertThat(firstResponse.get(30, TimeUnit.SECONDS)).isEqualTo(ok("first"));
    }

    @Test
    void aFailedAnswerReadyOnTheServletThreadThrowsItsCause() {
        InlineAnswers answers = new InlineAnswers(LONG, 1);
        IllegalStateException failure = new IllegalStateException("publish failed");

        assertThatThrownBy(() -> answers.answer(CompletableFuture.<String>failedFuture(failure), true, InlineAnswersTest::ok, handedOn::add))
                .isSameAs(failure);
        assertThatThrownBy(() -> answers.answer(CompletableFuture.supplyAsync(() -> {
            throw failure;
        }), true, InlineAnswersTest::ok, handedOn::add)).isSameAs(failure);
    }

    private static ResponseEntity<byte[]> ok(String body) {
        return ResponseEntity.ok(body.getBytes());
    }

    private Object call(InlineAnswers answers, CompletableFuture<String> answer) {
        try {
            return answers.answer(answer, true, InlineAnswersTest::ok, handedOn::add);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Until a thread holds the permit: a call with no wait left is handed on at once while it does. */
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
