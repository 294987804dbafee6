package org.originhub.deadletter;

import jakarta.jms.JMSException;
import java.net.URI;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.originhub.history.MessageHistory;
import org.originhub.history.MessageState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator's replay over HTTP, beside the message history it answers from (the security chain requires the
 * operator's account): {@code POST /api/messages/{messageId}/replay} moves a FAILED or REJECTED message back from its
 * dead-letter queue to the queue where it failed ({@link DeadLetterReplay}, which records REPLAYED). Errors are
 * RFC 9457 problem details: 404 for a message the history does not know or no dead letter holds, 409 for a message
 * that is not in a replayable state, 503 when the broker fails.
 */
@RestController
@RequestMapping("/api/messages")
public class DeadLetterReplayController {
    private static final Logger log = LoggerFactory.getLogger(DeadLetterReplayController.class);
    /** States from which a message can be replayed: it sits in a dead-letter queue. */
    static final Set<MessageState> REPLAYABLE = EnumSet.of(MessageState.FAILED, MessageState.REJECTED);

    private final MessageHistory history;
    private final DeadLetterReplay replay;

    public DeadLetterReplayController(MessageHistory history, DeadLetterReplay replay) {
        this.history = history;
        this.replay = replay;
    }

    /** What a replay did: the message is now REPLAYED, on {@code toQueue}. */
    public record ReplayResponse(String messageId, MessageState state, String fromQueue, String toQueue) {
    }

    @PostMapping("/{messageId}/replay")
    public ResponseEntity<?> replay(@PathVariable String messageId) {
        Optional<MessageState> state = history.lastState(messageId);
        if (state.isEmpty()) {
            return problem(HttpStatus.NOT_FOUND, "No message " + messageId + " in the message history");
        }
        if (!REPLAYABLE.contains(state.get())) {
            return problem(HttpStatus.CONFLICT, "Message " + messageId + " is " + state.get()
                    + "; only a FAILED or REJECTED message can be replayed");
        }
        try {
            Optional<DeadLetterReplay.Result> result = replay.replay(messageId, null);
            if (result.isEmpty()) {
                return problem(HttpStatus.NOT_FOUND, "Message " + messageId + " is " + state.get()
                        + " but no dead-lettered copy of it is in the hub's dead-letter queues");
            }
            DeadLetterReplay.Result r = result.get();
            return ResponseEntity.ok(new ReplayResponse(r.messageId(), MessageState.REPLAYED, r.fromQueue(), r.toQueue()));
        } catch (IllegalArgumentException e) {
            return problem(HttpStatus.BAD_REQUEST, e.getMessage());
        } catch (JMSException e) {
            log.warn("Replay of message {} failed: {}", messageId, e.toString());
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "The broker could not replay message " + messageId + ": " + e.getMessage());
        }
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create("about:blank"));
        return ResponseEntity.status(status).body(p);
    }
}
