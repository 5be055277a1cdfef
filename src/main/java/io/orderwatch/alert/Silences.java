package io.orderwatch.alert;

import io.orderwatch.store.SilenceStore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/** The silences in force, cached; reloaded whenever one is added or removed. */
public final class Silences implements MuteCheck {

    private final SilenceStore store;
    private volatile List<Silence> cached;

    public Silences(SilenceStore store) {
        this.store = store;
        reload();
    }

    public void reload() {
        cached = List.copyOf(store.all());
    }

    public List<Silence> all() {
        return cached;
    }

    /**
     * A digest of the silences in force at {@code at}: it changes when one is added or removed, and when
     * one ends (its until passes); it stays the same otherwise, however often the cache is reloaded.
     */
    @Override
    public String stateAt(Instant at) {
        List<String> active = new ArrayList<>();
        for (Silence s : cached) {
            if (s.activeAt(at)) {
                active.add(s.id() + "|" + new TreeMap<>(s.matchers()) + "|" + s.until().toInstant());
            }
        }
        Collections.sort(active);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String a : active) {
                sha.update(a.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) '\n');
            }
            return active.size() + ":" + HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    @Override
    public boolean isMuted(Finding f, Instant at) {
        return isMuted(f.kind(), f.storeId(), f.chainId(), f.orderId(), at);
    }

    public boolean isMuted(String kind, String storeId, String chainId, String orderId, Instant at) {
        for (Silence s : cached) {
            if (s.activeAt(at) && s.matches(kind, storeId, chainId, orderId)) {
                return true;
            }
        }
        return false;
    }
}
