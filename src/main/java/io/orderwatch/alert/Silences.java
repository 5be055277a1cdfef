package io.orderwatch.alert;

import io.orderwatch.store.SilenceStore;

import java.time.Instant;
import java.util.List;

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
