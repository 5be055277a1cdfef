package io.orderwatch.notify.slack;

import io.orderwatch.notify.delivery.Outcome;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * No SLACK_BOT_TOKEN: every Web API call that would be made is written to the outbox, one JSON file per
 * call, named so that they sort in the order they were made: method, the body Slack would get, and the
 * message an update or a reply refers to. The channel id is made up from the channel's name.
 */
public final class OutboxSlackApi implements SlackApi {

    private final Path dir;
    private final Clock clock;
    private final AtomicLong seq = new AtomicLong();

    public OutboxSlackApi(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    @Override
    public synchronized Outcome call(SlackCall call) {
        try {
            Files.createDirectories(dir);
            Instant now = clock.instant();
            String channelId = call.channel() != null && call.channel().startsWith("#")
                    ? "OUTBOX-" + call.channel().substring(1) : call.channel();
            String ts = call.ts() != null ? call.ts()
                    : now.getEpochSecond() + "." + String.format("%06d", (now.getNano() / 1000 + seq.incrementAndGet()) % 1_000_000);
            String name = String.format("%d-%06d-%s-%s.json", now.toEpochMilli(), seq.incrementAndGet() % 1_000_000,
                    call.method(), safe(call.marker()));
            Path tmp = dir.resolve(name + ".tmp");
            Files.writeString(tmp, call.toPrettyJson(), StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            return new Outcome.Sent("outbox:" + channelId + ":" + ts);
        } catch (IOException e) {
            return Outcome.Failed.transientFailure("outbox " + dir + ": " + e.getMessage());
        }
    }

    @Override
    public Optional<String> find(String channelId, String threadTs, String marker, Instant since) {
        // a post whose ledger record was lost is already in the outbox: its file carries the marker
        try (Stream<Path> files = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
            return files.filter(p -> p.getFileName().toString().endsWith("-" + safe(marker) + ".json"))
                    .filter(p -> p.getFileName().toString().contains("-" + SlackCall.POST + "-")).findFirst()
                    .map(p -> "outbox:" + (channelId == null ? "OUTBOX" : channelId) + ":" + p.getFileName().toString().split("-")[0]);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String safe(String s) {
        return s == null ? "none" : s.replaceAll("[^A-Za-z0-9_.]", "_");
    }

    @Override
    public String describe() {
        return "the outbox " + dir + " (no SLACK_BOT_TOKEN)";
    }
}
