package org.originhub.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Partner flapping with RabbitMQ as partner AR's broker: a stream of 300 certificates (30 COs x 10) while the RabbitMQ
 * node crashes 3 times, SIGKILL of its Erlang VM after about 75, 150 and 225 were taken, each time started again on
 * the same ports and mnesia folder. A crash in the middle of a send is what loses an {@code accepted}: the hub resends,
 * and RabbitMQ, with no duplicate detection, may then hold the message twice. Nothing may be lost; every copy is
 * counted and must be a copy (same messageId, same bytes); Origin Hub behind RabbitMQ (see
 * {@link RabbitMqBetweenHubs}) must deliver each CO once to AR's single window.
 */
class RabbitMqPartnerFlappingIT {

    @Test
    @Timeout(300)
    void rabbitMqKilledAndRestartedThreeTimesDuringAStreamOf300() throws Exception {
        CcdStream stream = new CcdStream("RFLAP", 30, 10);
        try (RabbitMqBetweenHubs h = new RabbitMqBetweenHubs("rabbitmq-partner-flapping", 65, 66)) {
            h.start();
            long begun = System.nanoTime();
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    // A stream, not a burst: 10 messages at a time, 20 ms apart.
                    for (int i = 0; i < stream.size(); i += 10) {
                        h.send(stream, stream.items().subList(i, Math.min(i + 10, stream.size())));
                        TimeUnit.MILLISECONDS.sleep(20);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long lastUp = System.nanoTime();
            List<String> crashes = new ArrayList<>();
            for (int crash = 1; crash <= 3; crash++) {
                int threshold = crash * stream.size() / 4;
                await("about " + threshold + " taken by RabbitMQ").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(5))
                        .until(() -> h.forwarded() >= threshold);
                long at = h.forwarded();
                h.rabbit.kill();
                assertThat(h.rabbit.accepting()).as("RabbitMQ's AMQP port after the kill").isFalse();
                long starting = System.nanoTime();
                h.rabbit.start();
                lastUp = System.nanoTime();
                crashes.add(String.format("%d (restart %.1f s)", at, (lastUp - starting) / 1e9));
            }
            sender.get(2, TimeUnit.MINUTES);
            await("all 300 taken by RabbitMQ").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> h.forwarded() == stream.size());
            Duration drain = Duration.ofNanos(System.nanoTime() - lastUp);
            Duration total = Duration.ofNanos(System.nanoTime() - begun);
            assertThat(h.sendingQueueCount(RabbitMqBetweenHubs.PARTNER_QUEUE)).isZero();

            RabbitMqBetweenHubs.FarEnd far = h.farEnd(stream);
            h.recordAndCheck("RabbitMQ partner flapping (3 crashes)", stream, far, drain, String.format(
                    "RabbitMQ's VM killed (SIGKILL) after %s taken; whole stream %.1f s", String.join(", ", crashes),
                    total.toMillis() / 1000.0));
        }
    }
}
