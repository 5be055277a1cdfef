package io.orderwatch.demo;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The fixed reference data of the simulated marketplace: chains, the cities they work in, the
 * products customers buy, the people who buy them, and the failures pharmacy systems produce. All
 * of it fictional, all of it shaped like the real thing.
 */
final class DemoCatalog {

    private DemoCatalog() {}

    /**
     * A city the marketplace serves. {@code addressRegion} is the region as written in an address
     * (null for Moscow and Saint Petersburg), {@code phonePrefix} the digits after +7 that local
     * landlines start with, {@code invoicePrefix} the letters a pharmacy there puts on its invoices.
     */
    record City(String name, String region, String addressRegion, String zone, double lat, double lon,
                String phonePrefix, String invoicePrefix, List<String> streets) {}

    /** A pharmacy chain: how its stores receive orders and how its catalogue codes look. */
    record Chain(String id, String name, String exportSystem, String skuPrefix, Map<City, Integer> storesPerCity) {}

    record Product(String id, String name, BigDecimal price) {}

    /** A failure of one export system, as that system reports it. */
    record ExportFailure(String system, String code, String message) {}

    // ---- cities, west to east -------------------------------------------------------------

    static final City KALININGRAD = new City("Калининград", "Калининградская область", "Калининградская обл.",
            "Europe/Kaliningrad", 54.7104, 20.4522, "4012", "КЛ", List.of("Ленинский пр-т", "ул. Черняховского", "Московский пр-т"));
    static final City SPB = new City("Санкт-Петербург", "Санкт-Петербург", null,
            "Europe/Moscow", 59.9386, 30.3141, "812", "СП", List.of("Невский пр-т", "ул. Савушкина", "Лиговский пр-т", "ул. Типанова"));
    static final City GATCHINA = new City("Гатчина", "Ленинградская область", "Ленинградская обл.",
            "Europe/Moscow", 59.5651, 30.1283, "81371", "ЛО", List.of("ул. Соборная", "пр-т 25 Октября", "ул. Чехова"));
    static final City MOSCOW = new City("Москва", "Москва", null,
            "Europe/Moscow", 55.7558, 37.6173, "495", "МС", List.of("ул. Тверская", "Ленинский пр-т", "ул. Профсоюзная", "Варшавское ш.", "ул. Новый Арбат"));
    static final City KHIMKI = new City("Химки", "Московская область", "Московская обл.",
            "Europe/Moscow", 55.8970, 37.4297, "498", "МО", List.of("Ленинградское ш.", "ул. Победы"));
    static final City NIZHNY = new City("Нижний Новгород", "Нижегородская область", "Нижегородская обл.",
            "Europe/Moscow", 56.3269, 44.0059, "831", "НН", List.of("ул. Большая Покровская", "пр-т Гагарина"));
    static final City KAZAN = new City("Казань", "Республика Татарстан", "Респ. Татарстан",
            "Europe/Moscow", 55.7961, 49.1064, "843", "ТТ", List.of("ул. Баумана", "пр-т Победы"));
    static final City KRASNODAR = new City("Краснодар", "Краснодарский край", "Краснодарский край",
            "Europe/Moscow", 45.0355, 38.9753, "861", "КК", List.of("ул. Красная", "ул. Северная"));
    static final City SAMARA = new City("Самара", "Самарская область", "Самарская обл.",
            "Europe/Samara", 53.1959, 50.1002, "846", "СМ", List.of("ул. Куйбышева", "Московское ш.", "ул. Ново-Садовая"));
    static final City TOLYATTI = new City("Тольятти", "Самарская область", "Самарская обл.",
            "Europe/Samara", 53.5078, 49.4204, "8482", "СМ", List.of("ул. Автостроителей", "Приморский б-р"));
    static final City YEKATERINBURG = new City("Екатеринбург", "Свердловская область", "Свердловская обл.",
            "Asia/Yekaterinburg", 56.8389, 60.6057, "343", "СВ", List.of("ул. Малышева", "пр-т Ленина", "ул. 8 Марта"));
    static final City CHELYABINSK = new City("Челябинск", "Челябинская область", "Челябинская обл.",
            "Asia/Yekaterinburg", 55.1644, 61.4368, "351", "ЧЛ", List.of("пр-т Ленина", "ул. Кирова"));
    static final City UFA = new City("Уфа", "Республика Башкортостан", "Респ. Башкортостан",
            "Asia/Yekaterinburg", 54.7388, 55.9721, "347", "БШ", List.of("пр-т Октября", "ул. Ленина"));
    static final City TYUMEN = new City("Тюмень", "Тюменская область", "Тюменская обл.",
            "Asia/Yekaterinburg", 57.1530, 65.5343, "3452", "ТМ", List.of("ул. Республики", "ул. Мельникайте"));
    static final City NOVOSIBIRSK = new City("Новосибирск", "Новосибирская область", "Новосибирская обл.",
            "Asia/Novosibirsk", 55.0084, 82.9357, "383", "НС", List.of("Красный пр-т", "ул. Ленина", "ул. Фрунзе"));
    static final City BERDSK = new City("Бердск", "Новосибирская область", "Новосибирская обл.",
            "Asia/Novosibirsk", 54.7584, 83.1070, "38341", "НС", List.of("ул. Ленина", "ул. Островского"));
    static final City KRASNOYARSK = new City("Красноярск", "Красноярский край", "Красноярский край",
            "Asia/Krasnoyarsk", 56.0153, 92.8932, "391", "КР", List.of("пр-т Мира", "ул. Карла Маркса", "ул. Взлётная"));
    static final City ABAKAN = new City("Абакан", "Республика Хакасия", "Респ. Хакасия",
            "Asia/Krasnoyarsk", 53.7212, 91.4424, "3902", "ХК", List.of("ул. Щетинкина", "пр-т Ленина"));
    static final City IRKUTSK = new City("Иркутск", "Иркутская область", "Иркутская обл.",
            "Asia/Irkutsk", 52.2870, 104.3050, "3952", "ИР", List.of("ул. Карла Маркса", "ул. Ленина", "ул. Байкальская"));
    static final City ULAN_UDE = new City("Улан-Удэ", "Республика Бурятия", "Респ. Бурятия",
            "Asia/Irkutsk", 51.8335, 107.5841, "3012", "БР", List.of("ул. Ленина", "ул. Балтахинова"));
    static final City VLADIVOSTOK = new City("Владивосток", "Приморский край", "Приморский край",
            "Asia/Vladivostok", 43.1155, 131.8855, "423", "ПК", List.of("ул. Светланская", "Океанский пр-т", "ул. Алеутская"));
    static final City USSURIYSK = new City("Уссурийск", "Приморский край", "Приморский край",
            "Asia/Vladivostok", 43.7972, 131.9518, "4234", "ПК", List.of("ул. Некрасова", "ул. Пушкина"));
    static final City KHABAROVSK = new City("Хабаровск", "Хабаровский край", "Хабаровский край",
            "Asia/Vladivostok", 48.4802, 135.0719, "4212", "ХБ", List.of("ул. Муравьёва-Амурского", "ул. Карла Маркса"));

    // ---- chains -----------------------------------------------------------------------------

    /** The chain whose export system falls over as a whole once at the start (SBIS, TIMEOUT). */
    static final String OUTAGE_CHAIN_ID = "ch-nevis";

    static final List<Chain> CHAINS = List.of(
            new Chain("ch-nevis", "Невис", "SBIS", "NVS",
                    ordered(SPB, 3, GATCHINA, 2, KALININGRAD, 2, MOSCOW, 2)),
            new Chain("ch-zdorovie", "Аптека Здоровье", "KONTUR_DIADOC", "ZDR",
                    ordered(MOSCOW, 3, KHIMKI, 1, NIZHNY, 2, KAZAN, 2, KRASNODAR, 1)),
            new Chain("ch-farmaplus", "Фармаплюс", "EPHARMA", "FP",
                    ordered(SAMARA, 2, TOLYATTI, 1, YEKATERINBURG, 3, CHELYABINSK, 1, UFA, 1, TYUMEN, 1)),
            new Chain("ch-vita", "Вита Экспресс", "API", "VE",
                    ordered(NOVOSIBIRSK, 2, BERDSK, 1, KRASNOYARSK, 2, ABAKAN, 1, IRKUTSK, 2)),
            new Chain("ch-farmvostok", "Фарм Восток", "FTP", "FV",
                    ordered(ULAN_UDE, 1, VLADIVOSTOK, 2, USSURIYSK, 1, KHABAROVSK, 2)));

    /** Franchise stores of a chain that take orders by e-mail instead of the chain's system. */
    static final String FRANCHISE_EXPORT_SYSTEM = "EMAIL";

    private static Map<City, Integer> ordered(Object... cityCount) {
        java.util.LinkedHashMap<City, Integer> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < cityCount.length; i += 2) {
            m.put((City) cityCount[i], (Integer) cityCount[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    static Chain chain(String id) {
        return CHAINS.stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown chain " + id));
    }

    // ---- products -------------------------------------------------------------------------

    static final List<Product> PRODUCTS = List.of(
            product("p-99812", "Нурофен Экспресс капс. 200 мг №16", "412.00"),
            product("p-12007", "Аквалор Беби спрей 150 мл", "731.25"),
            product("p-30411", "Терафлю пор. д/приг. р-ра лимон №10", "689.00"),
            product("p-55120", "Називин спрей наз. 0,05% 10 мл", "298.50"),
            product("p-77301", "Арбидол капс. 100 мг №20", "754.00"),
            product("p-20544", "Аквадетрим капли 15000 МЕ/мл 10 мл", "265.00"),
            product("p-81090", "Мирамистин р-р д/местн. прим. 0,01% 150 мл", "512.40"),
            product("p-44018", "Омепразол капс. 20 мг №30", "118.70"),
            product("p-63377", "Лоратадин табл. 10 мг №10", "96.30"),
            product("p-90112", "Эргоферон табл. д/рассас. №20", "483.00"),
            product("p-15006", "Бепантен крем 5% 30 г", "634.90"),
            product("p-38809", "Смекта пор. д/приг. сусп. 3 г №10", "241.00"),
            product("p-41233", "Ингавирин капс. 90 мг №7", "612.00"),
            product("p-52871", "Кагоцел табл. 12 мг №20", "498.00"),
            product("p-60214", "Энтерофурил капс. 200 мг №16", "505.50"),
            product("p-70093", "Линекс Форте капс. №14", "719.00"),
            product("p-11820", "Но-шпа табл. 40 мг №24", "219.90"),
            product("p-11821", "Дротаверин табл. 40 мг №20", "64.50"),
            product("p-23345", "Цитрамон П табл. №20", "58.40"),
            product("p-34452", "Парацетамол табл. 500 мг №20", "45.10"),
            product("p-45561", "Ибупрофен табл. п/о 400 мг №20", "118.00"),
            product("p-56679", "Супрастин табл. 25 мг №20", "176.30"),
            product("p-67788", "Зодак табл. п/о 10 мг №30", "394.00"),
            product("p-78896", "Амоксиклав табл. п/о 875 мг+125 мг №14", "489.70"),
            product("p-89905", "Лизобакт табл. д/рассас. №30", "362.00"),
            product("p-90014", "Стрепсилс табл. д/рассас. мёд-лимон №24", "431.00"),
            product("p-10123", "Пенталгин табл. п/о №24", "329.00"),
            product("p-21232", "Фервекс пор. д/приг. р-ра лимон №8", "508.00"),
            product("p-32341", "Ксимелин спрей наз. 0,1% 10 мл", "189.00"),
            product("p-43450", "Валидол табл. подъяз. 60 мг №10", "64.00"),
            product("p-54569", "Корвалол капли 25 мл", "52.80"),
            product("p-65678", "Глицин табл. подъяз. 100 мг №50", "61.90"),
            product("p-76787", "Магне B6 табл. п/о №60", "887.00"),
            product("p-87896", "Компливит табл. п/о №60", "312.00"),
            product("p-98905", "Кардиомагнил табл. п/о 75 мг №100", "276.00"),
            product("p-19014", "Лозартан табл. п/о 50 мг №30", "152.40"),
            product("p-28123", "Эналаприл табл. 10 мг №20", "58.00"),
            product("p-37232", "Метформин табл. п/о 850 мг №60", "194.50"),
            product("p-46341", "Мезим форте табл. п/о №20", "298.00"),
            product("p-46342", "Панкреатин табл. п/о 25 ЕД №60", "89.90"),
            product("p-55450", "Хлоргексидин р-р 0,05% 100 мл", "39.90"),
            product("p-64569", "Пантенол спрей 130 г", "487.00"),
            product("p-91896", "Нурофен для детей сусп. 100 мг/5 мл клубника 100 мл", "329.00"),
            product("p-82787", "Пластырь бактерицидный Космос №20", "189.00"));

    /** What a pharmacy or an operator offers instead when a product is out of stock. */
    static final Map<String, String> ANALOGUES = Map.ofEntries(
            Map.entry("p-99812", "p-45561"), Map.entry("p-11820", "p-11821"), Map.entry("p-56679", "p-63377"),
            Map.entry("p-67788", "p-63377"), Map.entry("p-55120", "p-32341"), Map.entry("p-46341", "p-46342"),
            Map.entry("p-91896", "p-45561"), Map.entry("p-10123", "p-34452"), Map.entry("p-21232", "p-30411"));

    static Product product(String id) {
        return PRODUCTS.stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown product " + id));
    }

    private static Product product(String id, String name, String price) {
        return new Product(id, name, new BigDecimal(price));
    }

    // ---- people -----------------------------------------------------------------------------

    /** {first name, its Latin spelling}; surnames below come in male and female forms. */
    static final String[][] FEMALE_NAMES = {{"Анна", "anna"}, {"Мария", "maria"}, {"Елена", "elena"}, {"Ольга", "olga"},
            {"Ирина", "irina"}, {"Наталья", "natalya"}, {"Татьяна", "tatyana"}, {"Екатерина", "ekaterina"},
            {"Светлана", "svetlana"}, {"Юлия", "yulia"}, {"Дарья", "darya"}, {"Ксения", "ksenia"}, {"Галина", "galina"}};
    static final String[][] MALE_NAMES = {{"Дмитрий", "dmitry"}, {"Сергей", "sergey"}, {"Алексей", "alexey"},
            {"Андрей", "andrey"}, {"Михаил", "mikhail"}, {"Иван", "ivan"}, {"Николай", "nikolay"}, {"Артём", "artem"},
            {"Владимир", "vladimir"}, {"Павел", "pavel"}};
    /** {male form, female form, Latin}. */
    static final String[][] SURNAMES = {{"Смирнов", "Смирнова", "smirnov"}, {"Иванов", "Иванова", "ivanov"},
            {"Кузнецов", "Кузнецова", "kuznetsov"}, {"Попов", "Попова", "popov"}, {"Соколов", "Соколова", "sokolov"},
            {"Лебедев", "Лебедева", "lebedev"}, {"Козлов", "Козлова", "kozlov"}, {"Новиков", "Новикова", "novikov"},
            {"Морозов", "Морозова", "morozov"}, {"Волков", "Волкова", "volkov"}, {"Фёдоров", "Фёдорова", "fedorov"},
            {"Орлов", "Орлова", "orlov"}, {"Зайцев", "Зайцева", "zaytsev"}, {"Белов", "Белова", "belov"},
            {"Гусев", "Гусева", "gusev"}, {"Ткаченко", "Ткаченко", "tkachenko"}};
    /** Reserved example domains: realistic addresses that can never reach a real person. */
    static final String[] EMAIL_DOMAINS = {"example.org", "example.com", "example.net", "mail.example.ru"};

    // ---- order shapes -----------------------------------------------------------------------

    static final String[] SOURCES = {"app", "app", "app", "app", "site", "site", "site", "yandex_market", "yandex_market", "call_center"};

    static final String[] COURIER_SERVICES = {"Сберлогистика", "СДЭК", "Достависта"};
    static final String[] EXPRESS_SERVICES = {"Яндекс Доставка", "Достависта"};
    static final String POST_SERVICE = "Почта России";

    // ---- failures ---------------------------------------------------------------------------

    static final ExportFailure OUTAGE = new ExportFailure("SBIS", "TIMEOUT", "Нет ответа от СБИС аптеки за 30 с");

    /** One typical failure per export system; the demo plants one order with each at the start. */
    static final List<ExportFailure> EXPORT_FAILURES = List.of(
            new ExportFailure("KONTUR_DIADOC", "CERTIFICATE_EXPIRED", "Истёк срок действия сертификата электронной подписи аптеки"),
            new ExportFailure("EPHARMA", "UNKNOWN_PRODUCT", "Позиция не найдена в справочнике аптеки"),
            new ExportFailure("FTP", "CONNECTION_REFUSED", "FTP-сервер аптеки не принимает подключения"),
            new ExportFailure("EMAIL", "MAILBOX_FULL", "Почтовый ящик аптеки переполнен, письмо с заказом отклонено (552)"),
            new ExportFailure("API", "HTTP_500", "Сервис аптеки ответил ошибкой 500 Internal Server Error"),
            new ExportFailure("SBIS", "DOCUMENT_REJECTED", "СБИС отклонил документ: не заполнен КПП получателя"));

    static final List<String> LINK_ERRORS = List.of("NO_STORE_SKU", "SKU_NOT_IN_STOCK_FEED", "PRICE_MISMATCH");

    // ---- cities the marketplace does not serve yet, as customers type them -------------------

    /** The first requests, present from the start: one city spelled three ways, and a second one. */
    static final String[][] FIRST_CITY_REQUESTS = {
            {"Верхняя Пышма", "ios"}, {"верхняя  пышма", "android"}, {"Верхняя-Пышма", "site"},
            {"Берёзовский", "ios"}, {"Березовский", "android"}};

    /** Later requests, drawn at random: the same few cities in the spellings people use. */
    static final String[] CITY_REQUESTS = {"Верхняя Пышма", "верхняя пышма", "В. Пышма", "Берёзовский", "березовский",
            "Арамиль", "арамиль ", "Ревда", "Кстово", "кстово", "Зеленодольск", "Зеленодольск РТ", "Новоуральск",
            "г. Сысерть", "Сысерть", "Бор", "Всеволожск", "всеволожск", "Сертолово"};

    static final String[] PLATFORMS = {"ios", "android", "site"};
}
