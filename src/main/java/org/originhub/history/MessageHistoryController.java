package org.originhub.history;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The message history over HTTP, for operators (the security chain requires the operator's account):
 * <ul>
 *   <li>{@code GET /api/messages} — search, paged, most recently active first;</li>
 *   <li>{@code GET /api/messages/{messageId}} — one message with its transitions, oldest first.</li>
 * </ul>
 * The replay of a dead-lettered message ({@code POST /api/messages/{messageId}/replay}) is
 * {@code org.originhub.deadletter.DeadLetterReplayController}.
 * Errors are RFC 9457 problem details ({@code application/problem+json}).
 */
@RestController
@RequestMapping("/api/messages")
public class MessageHistoryController {
    static final int DEFAULT_PAGE_SIZE = 20;

    private final JdbcMessageHistory history;

    public MessageHistoryController(JdbcMessageHistory history) {
        this.history = history;
    }

    @GetMapping
    public HistoryPage<MessageSummary> search(@RequestParam(required = false) String documentNumber,
                                              @RequestParam(required = false) String partner,
                                              @RequestParam(required = false) String party,
                                              @RequestParam(required = false) String state,
                                              @RequestParam(required = false) String messageType,
                                              @RequestParam(required = false) String from,
                                              @RequestParam(required = false) String to,
                                              @RequestParam(required = false) String page,
                                              @RequestParam(required = false) String size) {
        Instant fromInstant = instant("from", from);
        Instant toInstant = instant("to", to);
        if (fromInstant != null && toInstant != null && !fromInstant.isBefore(toInstant)) {
            throw new BadRequest("from must be before to");
        }
        int pageNumber = integer("page", page, 0);
        int pageSize = integer("size", size, DEFAULT_PAGE_SIZE);
        if (pageNumber < 0) throw new BadRequest("page must be 0 or more (pages count from 0)");
        if (pageSize < 1) throw new BadRequest("size must be 1 or more (at most " + JdbcMessageHistory.MAX_PAGE_SIZE + " are returned)");
        if (pageNumber > 1_000_000) throw new BadRequest("page is too large");
        return history.search(new MessageQuery(blankToNull(documentNumber), code("partner", partner), code("party", party),
                states(state), fromInstant, toInstant, blankToNull(messageType)), pageNumber, pageSize);
    }

    @GetMapping("/{messageId}")
    public ResponseEntity<?> detail(@PathVariable String messageId) {
        Optional<MessageDetail> detail = history.find(messageId);
        return detail.<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> problem(HttpStatus.NOT_FOUND, "No message " + messageId + " in the message history"));
    }

    @ExceptionHandler(BadRequest.class)
    ResponseEntity<ProblemDetail> badRequest(BadRequest e) {
        return problem(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create("about:blank"));
        return ResponseEntity.status(status).body(p);
    }

    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) return null;
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(value.trim()).toInstant();
            } catch (DateTimeParseException e2) {
                throw new BadRequest(name + " is not an ISO-8601 instant (e.g. 2026-11-25T10:15:30Z): " + value);
            }
        }
    }

    private static int integer(String name, String value, int fallback) {
        if (value == null || value.isBlank()) return fallback;
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new BadRequest(name + " is not a whole number: " + value);
        }
    }

    private static Set<MessageState> states(String value) {
        if (value == null || value.isBlank()) return Set.of();
        EnumSet<MessageState> states = EnumSet.noneOf(MessageState.class);
        for (String s : value.split(",")) {
            if (s.isBlank()) continue;
            try {
                states.add(MessageState.valueOf(s.trim().toUpperCase()));
            } catch (IllegalArgumentException e) {
                throw new BadRequest("state " + s.trim() + " is not one of " + Arrays.toString(MessageState.values()));
            }
        }
        return states;
    }

    private static String code(String name, String value) {
        if (value == null || value.isBlank()) return null;
        if (!value.trim().matches("[A-Za-z0-9_-]{1,16}")) {
            throw new BadRequest(name + " is not a country code (e.g. AR): " + value);
        }
        return value.trim().toUpperCase();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
