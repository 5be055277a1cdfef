package io.orderwatch.notify;

import java.time.Duration;
import java.util.Map;

/** The Russian words every sink uses for statuses, delivery types, alert kinds and durations. */
public final class Labels {

    private static final Map<String, String> STATUS = Map.of(
            "NEW", "Новый", "EXPORTED", "Передан в аптеку", "CONFIRMED", "Подтверждён аптекой", "ASSEMBLING", "Собирается",
            "READY", "Готов к выдаче", "IN_DELIVERY", "У курьера", "COMPLETED", "Выполнен", "CANCELLED", "Отменён",
            "REFUNDED", "Возврат");
    private static final Map<String, String> DELIVERY = Map.of(
            "PICKUP", "Самовывоз", "COURIER", "Курьер", "EXPRESS", "Экспресс", "POST", "Почта России");
    /** Kind → {one alert, a group of them}. */
    private static final Map<String, String[]> KIND = Map.of(
            "EXPORT_FAILED", new String[] {"Заказ не передан в аптеку", "Заказы не переданы в аптеку"},
            "ITEM_LINK_ERROR", new String[] {"Позиция не связана с каталогом аптеки", "Позиции не связаны с каталогом аптеки"},
            "DELETED_STORE_ORDER", new String[] {"Заказ в закрытой аптеке", "Заказы в закрытых аптеках"},
            "STUCK_ORDER", new String[] {"Заказ завис", "Зависшие заказы"},
            "COMPOSITION_CHANGED", new String[] {"Изменён состав заказа", "Изменён состав заказов"},
            "CITY_REQUEST", new String[] {"Клиенты не нашли город", "Клиенты не нашли города"},
            "SOURCE_DOWN", new String[] {"Админка не отвечает", "Админка не отвечает"},
            "DELIVERY_FAILED", new String[] {"Оповещение не доставлено", "Оповещения не доставлены"},
            "TICKET_INCOMPLETE", new String[] {"Заявка для второй линии не открыта: не хватает данных",
                    "Заявки для второй линии не открыты: не хватает данных"});

    private Labels() {}

    private static final Map<String, String> STUCK_REASON = Map.of(
            "STATUS_TIMEOUT", "слишком долго в статусе", "PLANNED_DELIVERY_PASSED", "прошло плановое время доставки");

    /** Why a stuck order is stuck, in words. */
    public static String stuckReason(String reason) {
        return reason == null ? null : STUCK_REASON.getOrDefault(reason, reason);
    }

    public static String status(String status) {
        return status == null ? null : STATUS.getOrDefault(status, status);
    }

    public static String deliveryType(String type) {
        return type == null ? null : DELIVERY.getOrDefault(type, type);
    }

    /** What an alert of this kind is called; a kind added later is called by its name. */
    public static String kind(String kind, boolean many) {
        String[] names = KIND.get(kind);
        return names == null ? kind : names[many ? 1 : 0];
    }

    /** "2 д 3 ч", "1 ч 5 мин", "7 мин". */
    public static String duration(Duration d) {
        long minutes = Math.max(0, d.toMinutes());
        long days = minutes / (24 * 60);
        long hours = minutes % (24 * 60) / 60;
        long mins = minutes % 60;
        if (days > 0) {
            return hours > 0 ? days + " д " + hours + " ч" : days + " д";
        }
        if (hours > 0) {
            return mins > 0 ? hours + " ч " + mins + " мин" : hours + " ч";
        }
        return mins + " мин";
    }
}
