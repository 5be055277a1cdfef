package io.orderwatch.app;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * In demo mode every listener binds 127.0.0.1 only. A listener on every interface also answers on
 * 127.0.0.2 (Linux routes all of 127.0.0.0/8 to loopback); one bound to 127.0.0.1 does not.
 */
class DemoListenersTest {

    @TempDir
    Path data;

    private Orderwatch orderwatch;

    @AfterEach
    void stop() {
        if (orderwatch != null) {
            orderwatch.stop();
        }
    }

    @Test
    void httpManagementAndBrokerListenOnLoopbackOnly() throws Exception {
        Properties p = TestApp.demoOverrides(data);
        p.setProperty("orderwatch.demo.tick-seconds", "3600");
        orderwatch = Orderwatch.create(Path.of("."), Map.of(), p);
        orderwatch.start();
        for (String key : new String[] {"orderwatch.http.port", "orderwatch.management.port", "orderwatch.broker.port"}) {
            int port = Integer.parseInt(p.getProperty(key));
            connect("127.0.0.1", port); // it listens
            assertThrows(ConnectException.class, () -> connect("127.0.0.2", port), key + " " + port + " must not listen beyond 127.0.0.1");
        }
    }

    private static void connect(String host, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
        }
    }
}
