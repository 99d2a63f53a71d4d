"""Built-in reference lists: geography, names, the product taxonomy, partners.

Everything here is fictional but shaped like the real thing: European addresses with
the countries' own postal-code formats (leading zeros included), local first and last
names with their diacritics, a Superstore-like product taxonomy with made-up brands.
"""

from typing import NamedTuple


class City(NamedTuple):
    region: str  # the company's sales region within the country
    state_province: str
    city: str
    postal_codes: tuple[str, ...]


class Country(NamedTuple):
    name: str
    weight: float  # share of customers
    phone_prefix: str
    email_domain: str
    cities: tuple[City, ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]


COUNTRIES: tuple[Country, ...] = (
    Country(
        "Germany", 0.27, "+49", "mail.example.de",
        (
            City("North", "Hamburg", "Hamburg", ("20095", "22765", "22301")),
            City("North", "Bremen", "Bremen", ("28195", "28203")),
            City("North", "Niedersachsen", "Hannover", ("30159", "30173")),
            City("East", "Berlin", "Berlin", ("10115", "10827", "12043")),
            City("East", "Sachsen", "Dresden", ("01067", "01307", "01099")),
            City("East", "Sachsen", "Leipzig", ("04109", "04177")),
            City("South", "Bayern", "München", ("80331", "81675", "80802")),
            City("South", "Bayern", "Nürnberg", ("90402", "90478")),
            City("South", "Baden-Württemberg", "Stuttgart", ("70173", "70469")),
            City("West", "Nordrhein-Westfalen", "Köln", ("50667", "50937")),
            City("West", "Nordrhein-Westfalen", "Düsseldorf", ("40213", "40479")),
            City("West", "Hessen", "Frankfurt am Main", ("60311", "60596")),
        ),
        ("Anna", "Lukas", "Sophie", "Jonas", "Marie", "Felix", "Lena", "Maximilian",
         "Hannah", "Jürgen", "Sabine", "Thomas", "Katrin", "Stefan", "Jörg"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner",
         "Becker", "Schulz", "Hoffmann", "Krüger", "Koch", "Weiß", "Groß"),
    ),
    Country(
        "France", 0.20, "+33", "mail.example.fr",
        (
            City("Central", "Île-de-France", "Paris", ("75001", "75011", "75015")),
            City("Central", "Île-de-France", "Boulogne-Billancourt", ("92100",)),
            City("East", "Auvergne-Rhône-Alpes", "Lyon", ("69001", "69003", "69007")),
            City("East", "Auvergne-Rhône-Alpes", "Bourg-en-Bresse", ("01000",)),
            City("East", "Grand Est", "Strasbourg", ("67000", "67100")),
            City("South", "Provence-Alpes-Côte d'Azur", "Marseille", ("13001", "13008")),
            City("South", "Provence-Alpes-Côte d'Azur", "Nice", ("06000", "06300")),
            City("South", "Occitanie", "Toulouse", ("31000", "31400")),
            City("West", "Nouvelle-Aquitaine", "Bordeaux", ("33000", "33800")),
            City("West", "Pays de la Loire", "Nantes", ("44000", "44300")),
            City("North", "Hauts-de-France", "Lille", ("59000", "59800")),
        ),
        ("Camille", "Léa", "Louis", "Hugo", "Chloé", "Manon", "Jules", "Élodie",
         "François", "Inès", "Nathalie", "Pierre"),
        ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Petit", "Durand", "Leroy",
         "Moreau", "Lefèvre", "Girard", "Faure"),
    ),
    Country(
        "Netherlands", 0.10, "+31", "mail.example.nl",
        (
            City("North", "Groningen", "Groningen", ("9711 AB", "9712 CP")),
            City("West", "Noord-Holland", "Amsterdam", ("1012 AB", "1017 DE", "1071 XX")),
            City("West", "Noord-Holland", "Haarlem", ("2011 AB",)),
            City("West", "Zuid-Holland", "Rotterdam", ("3011 AA", "3024 BC")),
            City("West", "Zuid-Holland", "Den Haag", ("2511 AB", "2514 EA")),
            City("Central", "Utrecht", "Utrecht", ("3511 AA", "3521 AZ")),
            City("South", "Noord-Brabant", "Eindhoven", ("5611 AB", "5617 BC")),
            City("South", "Limburg", "Maastricht", ("6211 AB",)),
            City("East", "Gelderland", "Arnhem", ("6811 AA", "6822 DG")),
        ),
        ("Daan", "Emma", "Sem", "Julia", "Lucas", "Tess", "Bram", "Sanne", "Jeroen",
         "Femke", "Ruben", "Anouk"),
        ("de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Visser",
         "Smit", "Meijer", "de Boer", "Mulder", "Bos"),
    ),
    Country(
        "Spain", 0.10, "+34", "mail.example.es",
        (
            City("Central", "Comunidad de Madrid", "Madrid", ("28001", "28013", "28045")),
            City("East", "Cataluña", "Barcelona", ("08001", "08015", "08029")),
            City("East", "Comunitat Valenciana", "Valencia", ("46001", "46021")),
            City("South", "Andalucía", "Sevilla", ("41001", "41013")),
            City("South", "Andalucía", "Málaga", ("29001", "29016")),
            City("North", "País Vasco", "Bilbao", ("48001", "48013")),
            City("North", "Galicia", "A Coruña", ("15001", "15008")),
        ),
        ("Lucía", "Hugo", "Martina", "Mateo", "Sofía", "Pablo", "Carmen", "Javier",
         "María José", "Álvaro", "Nuria", "José"),
        ("García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez",
         "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz"),
    ),
    Country(
        "Italy", 0.12, "+39", "mail.example.it",
        (
            City("North", "Lombardia", "Milano", ("20121", "20135", "20149")),
            City("North", "Piemonte", "Torino", ("10121", "10138")),
            City("North", "Veneto", "Venezia", ("30121", "30172")),
            City("Central", "Lazio", "Roma", ("00118", "00184", "00197")),
            City("Central", "Toscana", "Firenze", ("50122", "50133")),
            City("South", "Campania", "Napoli", ("80121", "80134")),
            City("South", "Puglia", "Bari", ("70121", "70126")),
            City("South", "Sicilia", "Palermo", ("90133", "90141")),
        ),
        ("Giulia", "Francesco", "Sofia", "Alessandro", "Aurora", "Lorenzo", "Chiara",
         "Matteo", "Giorgia", "Niccolò", "Elena", "Luca"),
        ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo",
         "Ricci", "Marino", "Greco", "Bruno", "De Luca"),
    ),
    Country(
        "Belgium", 0.06, "+32", "mail.example.be",
        (
            City("North", "Antwerpen", "Antwerpen", ("2000", "2018")),
            City("North", "Oost-Vlaanderen", "Gent", ("9000", "9050")),
            City("Central", "Brussels-Capital", "Brussel", ("1000", "1050", "1180")),
            City("South", "Liège", "Liège", ("4000", "4020")),
            City("South", "Namur", "Namur", ("5000",)),
        ),
        ("Noah", "Emma", "Louis", "Olivia", "Arthur", "Louise", "Lucas", "Elise", "Wout",
         "Marie", "Thibault", "Fien"),
        ("Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes",
         "Goossens", "Dubois", "Lambert", "Dupont", "Wouters"),
    ),
    Country(
        "Austria", 0.07, "+43", "mail.example.at",
        (
            City("East", "Wien", "Wien", ("1010", "1100", "1220")),
            City("East", "Niederösterreich", "St. Pölten", ("3100",)),
            City("West", "Tirol", "Innsbruck", ("6020",)),
            City("West", "Salzburg", "Salzburg", ("5020",)),
            City("South", "Steiermark", "Graz", ("8010", "8020")),
            City("South", "Kärnten", "Klagenfurt", ("9020",)),
            City("North", "Oberösterreich", "Linz", ("4020", "4040")),
        ),
        ("Lukas", "Anna", "David", "Laura", "Tobias", "Lena", "Elias", "Sarah",
         "Florian", "Katharina", "Stefan", "Theresa"),
        ("Gruber", "Huber", "Bauer", "Wagner", "Müller", "Pichler", "Steiner", "Moser",
         "Mayer", "Hofer", "Leitner", "Berger"),
    ),
    Country(
        "Poland", 0.08, "+48", "mail.example.pl",
        (
            City("Central", "Mazowieckie", "Warszawa", ("00-001", "02-495", "03-310")),
            City("South", "Małopolskie", "Kraków", ("30-001", "31-154")),
            City("South", "Śląskie", "Katowice", ("40-001", "40-085")),
            City("West", "Wielkopolskie", "Poznań", ("60-001", "61-245")),
            City("West", "Dolnośląskie", "Wrocław", ("50-001", "53-332")),
            City("North", "Pomorskie", "Gdańsk", ("80-001", "80-288")),
        ),
        ("Jakub", "Zuzanna", "Antoni", "Julia", "Jan", "Zofia", "Łukasz", "Małgorzata",
         "Piotr", "Agnieszka", "Krzysztof", "Katarzyna"),
        ("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński",
         "Lewandowski", "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski"),
    ),
)


def find_city(country: str, city: str) -> City:
    """The built-in City record of `city` in `country`."""
    for candidate in next(c for c in COUNTRIES if c.name == country).cities:
        if candidate.city == city:
            return candidate
    raise KeyError(f"{city}, {country}")


class Supplier(NamedTuple):
    supplier_id: str
    name: str
    country: str
    brands: tuple[str, ...]


SUPPLIERS: tuple[Supplier, ...] = (
    Supplier("S-001", "Nordholm Möbel GmbH", "Germany", ("Nordholm",)),
    Supplier("S-002", "Ergon Seating B.V.", "Netherlands", ("Ergon",)),
    Supplier("S-003", "Atelier Bureau SA", "France", ("Atelier",)),
    Supplier("S-004", "Papyra Papierwerke AG", "Austria", ("Papyra",)),
    Supplier("S-005", "Cartotecnica Veneta S.p.A.", "Italy", ("Cartaria",)),
    Supplier("S-006", "Scriba Office Supplies Sp. z o.o.", "Poland", ("Scriba",)),
    Supplier("S-007", "Iberia Archivo S.L.", "Spain", ("Archiva",)),
    Supplier("S-008", "Lumio Lighting NV", "Belgium", ("Lumio",)),
    Supplier("S-009", "Voltec Electronics GmbH", "Germany", ("Voltec",)),
    Supplier("S-010", "Datacore Systems B.V.", "Netherlands", ("Datacore",)),
    Supplier("S-011", "Telecom Nova S.r.l.", "Italy", ("Nova",)),
    Supplier("S-012", "Printwell Imaging SAS", "France", ("Printwell",)),
)


class Item(NamedTuple):
    noun: str
    price_range: tuple[float, float]  # list price in EUR


class SubCategory(NamedTuple):
    category: str
    name: str
    count: int  # products in the catalogue
    brands: tuple[str, ...]
    items: tuple[Item, ...]


# 150 products in all. Some names carry commas and inch marks on purpose: the CSV
# quoting has to cope with them.
SUB_CATEGORIES: tuple[SubCategory, ...] = (
    SubCategory("Furniture", "Chairs", 10, ("Ergon", "Nordholm"), (
        Item("Task Chair", (89, 249)), Item("Executive Chair", (299, 699)),
        Item("Mesh Office Chair", (149, 399)), Item("Conference Chair", (79, 199)),
        Item("Stacking Chair", (39, 89)))),
    SubCategory("Furniture", "Tables", 9, ("Nordholm", "Atelier"), (
        Item("Desk 160 x 80 cm", (249, 599)), Item("Standing Desk", (449, 1299)),
        Item("Meeting Table", (399, 999)), Item("Side Table", (59, 149)))),
    SubCategory("Furniture", "Bookcases", 7, ("Nordholm", "Atelier"), (
        Item("Bookcase", (99, 399)), Item("Shelving Unit", (79, 299)),
        Item("Wall Shelf", (29, 89)))),
    SubCategory("Furniture", "Furnishings", 10, ("Lumio", "Atelier"), (
        Item("Desk Lamp", (24.9, 129)), Item("Wall Clock", (19.9, 59)),
        Item("Chair Mat", (29.9, 79)), Item("Picture Frame", (9.99, 29.9)),
        Item("Coat Stand", (39, 149)))),
    SubCategory("Office Supplies", "Paper", 10, ("Papyra", "Cartaria"), (
        Item("Copy Paper A4, 500 Sheets", (4.49, 8.99)), Item("Notebook A5", (2.49, 12.9)),
        Item("Recycled Paper A4", (4.99, 9.49)), Item("Sticky Notes", (2.99, 9.99)))),
    SubCategory("Office Supplies", "Binders", 9, ("Scriba", "Archiva"), (
        Item("Ring Binder", (2.99, 7.99)), Item("Lever Arch File", (3.49, 8.99)),
        Item("Presentation Binder", (9.99, 24.9)))),
    SubCategory("Office Supplies", "Storage", 9, ("Archiva", "Nordholm"), (
        Item("Archive Box", (9.9, 29.9)), Item("Filing Cabinet", (149, 299)),
        Item("Storage Drawer Set", (39, 119)))),
    SubCategory("Office Supplies", "Art", 9, ("Scriba", "Cartaria"), (
        Item("Marker Set", (4.99, 19.9)), Item("Fountain Pen", (14.9, 49)),
        Item("Coloured Pencils", (3.99, 24.9)), Item("Highlighter Pack", (2.99, 8.99)))),
    SubCategory("Office Supplies", "Appliances", 8, ("Voltec", "Lumio"), (
        Item("Paper Shredder", (59, 399)), Item("Desk Fan", (29, 89)),
        Item("Kettle", (29, 79)), Item("Air Purifier", (99, 349)))),
    SubCategory("Office Supplies", "Envelopes", 6, ("Papyra", "Cartaria"), (
        Item("Envelopes C4, 250 pcs", (14.9, 29.9)), Item("Envelopes DL", (3.49, 9.99)),
        Item("Padded Envelopes", (6.99, 19.9)))),
    SubCategory("Office Supplies", "Labels", 5, ("Scriba", "Printwell"), (
        Item("Address Labels", (4.99, 14.9)), Item("Shipping Labels", (9.99, 34.9)),
        Item("Label Tape", (12.9, 29.9)))),
    SubCategory("Office Supplies", "Fasteners", 5, ("Scriba", "Archiva"), (
        Item("Paper Clips", (1.99, 4.99)), Item("Binder Clips", (2.49, 6.99)),
        Item("Staples 24/6", (1.99, 5.99)))),
    SubCategory("Office Supplies", "Supplies", 5, ("Scriba", "Archiva"), (
        Item("Scissors", (3.99, 14.9)), Item("Stapler", (6.99, 39.9)),
        Item("Letter Opener", (3.99, 12.9)), Item("Hole Punch", (7.99, 34.9)))),
    SubCategory("Technology", "Accessories", 16, ("Datacore", "Voltec"), (
        Item("Wireless Mouse", (14.99, 69)), Item("Keyboard", (24.9, 129)),
        Item("USB-C Hub", (29.9, 89)), Item("Webcam", (39, 149)),
        Item('Monitor 27" QHD', (229, 499)), Item('Monitor 24" FHD', (129, 249)),
        Item("Docking Station", (119, 299)))),
    SubCategory("Technology", "Phones", 12, ("Nova", "Voltec"), (
        Item("Smartphone", (199, 999)), Item("Desk Phone", (49, 179)),
        Item("Conference Phone", (249, 699)), Item("Headset", (39, 249)))),
    SubCategory("Technology", "Machines", 12, ("Printwell", "Datacore"), (
        Item("Label Printer", (79, 249)), Item("Laser Printer", (149, 799)),
        Item("Laminator", (49, 199)), Item("Projector", (399, 1499)))),
    SubCategory("Technology", "Copiers", 8, ("Printwell",), (
        Item("Multifunction Copier", (299, 1499)), Item("Laser Copier", (899, 2499)))),
)

VARIANTS: dict[str, tuple[str, ...]] = {
    "Furniture": ("Black", "White", "Oak", "Walnut", "Grey", "Beech"),
    "Office Supplies": ("Blue", "Black", "Red", "Green", "Assorted", "Recycled"),
    "Technology": ("Black", "Silver", "White", "Pro", "Plus", "Compact"),
}

# Products sold before they reach the product master (unknown references).
UNKNOWN_PRODUCTS: tuple[tuple[str, str, str, str, int], ...] = (
    ("P-9901", "Voltec Smart Plug, White", "Technology", "Accessories", 2499),
    ("P-9902", "Papyra Eco Notebook A4", "Office Supplies", "Paper", 599),
    ("P-9903", "Nordholm Acoustic Panel, Grey", "Furniture", "Furnishings", 8900),
)
UNKNOWN_CARRIER_ID = "CR-09"
UNKNOWN_STORE_ID = "ST-099"
UNKNOWN_WAREHOUSE_ID = "DC-04"  # a new distribution centre not yet set up as a location


class Carrier(NamedTuple):
    carrier_id: str
    name: str
    service_level: str


CARRIERS: tuple[Carrier, ...] = (
    Carrier("CR-01", "EuroLink Freight", "economy"),
    Carrier("CR-02", "Rheinland Parcel", "standard"),
    Carrier("CR-03", "Atlantic Post Logistics", "standard"),
    Carrier("CR-04", "SwiftCourier Europe", "express"),
    Carrier("CR-05", "Alpine Express", "express"),
)


class Location(NamedTuple):
    location_id: str
    name: str
    location_type: str  # store, distribution_center, online
    city: str
    country: str
    opened_on: str


LOCATIONS: tuple[Location, ...] = (
    Location("DC-01", "Distribution Centre Frankfurt", "distribution_center",
             "Frankfurt am Main", "Germany", "2012-04-01"),
    Location("DC-02", "Distribution Centre Lyon", "distribution_center",
             "Lyon", "France", "2015-09-01"),
    Location("DC-03", "Distribution Centre Poznań", "distribution_center",
             "Poznań", "Poland", "2019-03-01"),
    Location("ST-001", "Berlin Mitte", "store", "Berlin", "Germany", "2014-05-10"),
    Location("ST-002", "München Zentrum", "store", "München", "Germany", "2016-10-01"),
    Location("ST-003", "Paris Opéra", "store", "Paris", "France", "2015-03-14"),
    Location("ST-004", "Lyon Part-Dieu", "store", "Lyon", "France", "2018-09-08"),
    Location("ST-005", "Amsterdam Zuid", "store", "Amsterdam", "Netherlands", "2017-04-22"),
    Location("ST-006", "Madrid Salamanca", "store", "Madrid", "Spain", "2019-02-16"),
    Location("ST-007", "Milano Duomo", "store", "Milano", "Italy", "2018-11-03"),
    Location("ST-008", "Bruxelles Louise", "store", "Brussel", "Belgium", "2020-06-06"),
    Location("ST-009", "Wien Mariahilf", "store", "Wien", "Austria", "2021-03-20"),
    Location("ST-010", "Warszawa Mokotów", "store", "Warszawa", "Poland", "2024-10-12"),
    Location("WEB-01", "Online Shop", "online", "", "", "2013-01-15"),
)

SHIP_MODES: tuple[tuple[str, float, tuple[int, int], tuple[str, ...]], ...] = (
    # ship mode, share of orders, days from order to shipping, carrier service levels
    ("Standard Class", 0.60, (3, 7), ("economy", "standard")),
    ("Second Class", 0.20, (2, 4), ("standard",)),
    ("First Class", 0.15, (1, 2), ("express", "standard")),
    ("Same Day", 0.05, (0, 0), ("express",)),
)

SEGMENTS: tuple[tuple[str, float], ...] = (
    ("Consumer", 0.52), ("Corporate", 0.30), ("Home Office", 0.18),
)

CHANNELS_BY_SEGMENT: dict[str, tuple[tuple[str, float], ...]] = {
    "Consumer": (("Retailer", 0.7), ("Direct", 0.3)),
    "Corporate": (("Direct", 0.5), ("Distributor", 0.35), ("Retailer", 0.15)),
    "Home Office": (("Retailer", 0.5), ("Direct", 0.45), ("Distributor", 0.05)),
}

# Discount (in percent) weights per segment: mostly none.
DISCOUNTS_BY_SEGMENT: dict[str, tuple[tuple[int, float], ...]] = {
    "Consumer": ((0, 0.70), (5, 0.10), (10, 0.10), (15, 0.04), (20, 0.04), (30, 0.02)),
    "Corporate": ((0, 0.55), (5, 0.12), (10, 0.14), (15, 0.08), (20, 0.07), (30, 0.04)),
    "Home Office": ((0, 0.65), (5, 0.12), (10, 0.10), (15, 0.05), (20, 0.05), (30, 0.03)),
}

SUPPLIER_CONTACTS: tuple[str, ...] = (
    "Karin Vogel", "Henrik Jansen", "Claire Rousseau", "Markus Eder", "Paola Conti",
    "Tomasz Nowicki", "Lucía Navarro", "Pieter Claessens", "Ralf Brandt",
    "Sanne Kuipers", "Marco Galli", "Sylvie Marchand", "Dieter Lang", "Ewa Mazur",
    "Jan Vermeulen", "Andrea Hofbauer",
)
