package io.orderwatch.notify.slack;

import io.orderwatch.notify.delivery.Outcome;

import java.time.Instant;
import java.util.Optional;

/** Where the Slack sink's calls go: the Web API, or the outbox when there is no token. */
public interface SlackApi {

    /** Makes the call; a post answers {@code <channel id>:<ts>} as the peer reference. Never throws. */
    Outcome call(SlackCall call);

    /**
     * For a post whose answer was lost: the {@code <channel id>:<ts>} of the message carrying this
     * marker, looked up in the channel (or in the thread of {@code threadTs}) since {@code since}.
     * Empty when it is not there, or when the channel id is not known and the lookup cannot be made.
     */
    Optional<String> find(String channelId, String threadTs, String marker, Instant since);

    /**
     * The id of the channel with this name ({@code #name} or {@code name}), for a lookup of a post whose answer
     * was lost in a channel configured by name before any post there told its id. Empty when it cannot be
     * found (no such channel, or a token without the channels:read / groups:read scope).
     */
    default Optional<String> channelIdOf(String name) {
        return Optional.empty();
    }

    /** For the start-up log line. */
    String describe();
}
