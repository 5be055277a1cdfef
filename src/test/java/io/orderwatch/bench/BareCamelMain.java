package io.orderwatch.bench;

/**
 * The start-up benchmark's baselines, launched in a child JVM with orderwatch's own classpath:
 * {@code hello} prints and exits (the JVM's own launch), {@code camel} starts and stops a Camel Main
 * with no routes (the framework's floor), {@code idle} waits to be killed (an idle JVM's memory).
 */
public final class BareCamelMain {

    private BareCamelMain() {}

    public static void main(String[] args) throws Exception {
        switch (args.length == 0 ? "hello" : args[0]) {
            case "camel" -> {
                org.apache.camel.main.Main main = new org.apache.camel.main.Main();
                main.configure().setRoutesCollectorEnabled(false);
                main.start();
                System.out.println("started");
                main.stop();
            }
            case "idle" -> {
                System.out.println("idle");
                Thread.sleep(Long.MAX_VALUE);
            }
            default -> System.out.println("hello");
        }
    }
}
