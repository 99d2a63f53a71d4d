-- The operational (OLTP) database of the Sales Management System, on MySQL/MariaDB.
-- Normalized, typed, with primary and foreign keys; every table keeps `updated_at`
-- (set on change by the server, or explicitly by the generator in business time).
-- The export_* views flatten it into the raw source contract's shape
-- (shared/contracts/raw_sources.md): what the extract-load reads.

create table suppliers (
    supplier_id varchar(16) not null primary key,
    supplier_name varchar(200) not null,
    country varchar(100),
    contact_name varchar(200),
    contact_email varchar(200),
    lead_time_days int,
    updated_at datetime not null default current_timestamp on update current_timestamp,
    key suppliers_updated_at (updated_at)
);

create table carriers (
    carrier_id varchar(16) not null primary key,
    carrier_name varchar(200) not null,
    service_level varchar(20),
    updated_at datetime not null default current_timestamp on update current_timestamp,
    key carriers_updated_at (updated_at)
);

create table locations (
    location_id varchar(16) not null primary key,
    location_name varchar(200) not null,
    location_type enum('store', 'distribution_center', 'online') not null,
    city varchar(100),
    region varchar(100),
    country varchar(100),
    opened_on date,
    updated_at datetime not null default current_timestamp on update current_timestamp,
    key locations_updated_at (updated_at)
);

create table products (
    product_id varchar(16) not null primary key,
    product_name varchar(300) not null,
    category varchar(100),
    sub_category varchar(100),
    brand varchar(100),
    supplier_id varchar(16),
    launched_on date,
    discontinued_on date,
    updated_at datetime not null default current_timestamp on update current_timestamp,
    key products_updated_at (updated_at),
    constraint products_supplier_fk foreign key (supplier_id) references suppliers (supplier_id)
);

-- price history: the list price valid from a day on (the current one is the latest)
create table product_prices (
    product_id varchar(16) not null,
    valid_from date not null,
    unit_list_price decimal(12, 2) not null,
    unit_standard_cost decimal(12, 2),
    updated_at datetime not null default current_timestamp on update current_timestamp,
    primary key (product_id, valid_from),
    key product_prices_updated_at (updated_at),
    constraint product_prices_product_fk foreign key (product_id) references products (product_id)
);

create table customers (
    customer_id varchar(16) not null primary key,
    customer_name varchar(200) not null,
    email varchar(200),
    phone varchar(50),
    birth_date date,
    segment varchar(20),
    channel varchar(20),
    updated_at datetime not null default current_timestamp on update current_timestamp,
    key customers_updated_at (updated_at)
);

create table addresses (
    address_id int not null auto_increment primary key,
    customer_id varchar(16) not null,
    country varchar(100) not null,
    region varchar(100),
    state_province varchar(100),
    city varchar(100),
    postal_code varchar(20),
    updated_at datetime not null default current_timestamp on update current_timestamp,
    key addresses_updated_at (updated_at),
    constraint addresses_customer_fk foreign key (customer_id) references customers (customer_id)
);

create table orders (
    order_id varchar(32) not null primary key,
    customer_id varchar(16) not null,
    ship_to_address_id int not null,
    order_date date not null,
    ship_mode varchar(20),
    platform varchar(20),
    store_id varchar(16),
    currency char(3),
    updated_at datetime not null default current_timestamp on update current_timestamp,
    key orders_order_date (order_date),
    key orders_updated_at (updated_at),
    constraint orders_customer_fk foreign key (customer_id) references customers (customer_id),
    constraint orders_address_fk foreign key (ship_to_address_id) references addresses (address_id),
    constraint orders_store_fk foreign key (store_id) references locations (location_id)
);

-- updated_at: the latest change of the line, its order or its shipment (triggers.sql)
create table order_lines (
    order_id varchar(32) not null,
    order_line_number int not null,
    product_id varchar(16) not null,
    quantity int not null,
    unit_price decimal(12, 2) not null,
    discount decimal(4, 2) not null default 0,
    sales_amount decimal(14, 2) not null,
    profit_amount decimal(14, 2),
    updated_at datetime not null default current_timestamp on update current_timestamp,
    primary key (order_id, order_line_number),
    key order_lines_updated_at (updated_at),
    constraint order_lines_order_fk foreign key (order_id) references orders (order_id),
    constraint order_lines_product_fk foreign key (product_id) references products (product_id),
    constraint order_lines_quantity_positive check (quantity > 0),
    constraint order_lines_discount_fraction check (discount between 0 and 1)
);

-- one shipment per order; an order without one is still open
create table shipments (
    order_id varchar(32) not null primary key,
    ship_date date not null,
    carrier_id varchar(16),
    updated_at datetime not null default current_timestamp on update current_timestamp,
    key shipments_updated_at (updated_at),
    constraint shipments_order_fk foreign key (order_id) references orders (order_id),
    constraint shipments_carrier_fk foreign key (carrier_id) references carriers (carrier_id)
);

-- every deleted order line, written by the trigger below: what the extract-load reads
-- to remove a deleted line from the warehouse (a row that is gone cannot be extracted)
create table deleted_order_lines (
    order_id varchar(32) not null,
    order_line_number int not null,
    deleted_at datetime not null,
    primary key (order_id, order_line_number, deleted_at),
    key deleted_order_lines_deleted_at (deleted_at)
);

-- end-of-day stock counts of the warehouse-management system, per environment
create table stock_counts (
    count_date date not null,
    environment enum('production', 'test') not null,
    warehouse_id varchar(16) not null,
    product_id varchar(16) not null,
    quantity_on_hand int not null,
    quantity_reserved int,
    reorder_point int,
    unit_cost decimal(12, 2),
    currency char(3),
    updated_at datetime not null default current_timestamp on update current_timestamp,
    primary key (count_date, environment, warehouse_id, product_id),
    key stock_counts_updated_at (updated_at),
    constraint stock_counts_warehouse_fk foreign key (warehouse_id) references locations (location_id),
    constraint stock_counts_product_fk foreign key (product_id) references products (product_id),
    constraint stock_counts_on_hand_not_negative check (quantity_on_hand >= 0)
);

create table manufacturing_costs (
    product_id varchar(16) not null,
    fiscal_year int not null,
    unit_manufacturing_cost decimal(12, 2) not null,
    updated_at datetime not null default current_timestamp on update current_timestamp,
    primary key (product_id, fiscal_year),
    key manufacturing_costs_updated_at (updated_at),
    constraint manufacturing_costs_product_fk foreign key (product_id) references products (product_id)
);

create table post_invoice_deductions (
    customer_id varchar(16) not null,
    fiscal_year int not null,
    deduction_pct decimal(6, 4) not null,
    updated_at datetime not null default current_timestamp on update current_timestamp,
    primary key (customer_id, fiscal_year),
    key post_invoice_deductions_updated_at (updated_at),
    constraint post_invoice_deductions_customer_fk foreign key (customer_id) references customers (customer_id),
    constraint post_invoice_deductions_fraction check (deduction_pct between 0 and 1)
);

create table freight_costs (
    country varchar(100) not null,
    fiscal_year int not null,
    freight_pct decimal(6, 4) not null,
    other_cost_pct decimal(6, 4),
    updated_at datetime not null default current_timestamp on update current_timestamp,
    primary key (country, fiscal_year),
    key freight_costs_updated_at (updated_at)
);

create table erasure_requests (
    customer_id varchar(16) not null primary key,
    requested_at datetime not null,
    key erasure_requests_requested_at (requested_at),
    constraint erasure_requests_customer_fk foreign key (customer_id) references customers (customer_id)
);

-- the export views: the source contract's columns as text, plus the cursor updated_at
create view export_sales_order_lines as
select
    order_lines.order_id,
    cast(order_lines.order_line_number as char) as order_line_number,
    date_format(orders.order_date, '%Y-%m-%d') as order_date,
    date_format(shipments.ship_date, '%Y-%m-%d') as ship_date,
    orders.ship_mode,
    shipments.carrier_id,
    orders.customer_id,
    customers.customer_name,
    customers.email as customer_email,
    customers.phone as customer_phone,
    date_format(customers.birth_date, '%Y-%m-%d') as customer_birth_date,
    customers.segment,
    customers.channel,
    orders.platform,
    addresses.country,
    addresses.region,
    addresses.state_province,
    addresses.city,
    addresses.postal_code,
    orders.store_id,
    order_lines.product_id,
    products.product_name,
    products.category,
    products.sub_category,
    cast(order_lines.quantity as char) as quantity,
    cast(order_lines.unit_price as char) as unit_price,
    cast(order_lines.discount as char) as discount,
    cast(order_lines.sales_amount as char) as sales_amount,
    cast(order_lines.profit_amount as char) as profit_amount,
    orders.currency,
    -- the line's, moved on by its order's and shipment's changes (triggers.sql): the
    -- cursor is an index range on order_lines, not a scan of the whole join
    order_lines.updated_at
from order_lines
inner join orders on order_lines.order_id = orders.order_id
inner join customers on orders.customer_id = customers.customer_id
inner join addresses on orders.ship_to_address_id = addresses.address_id
inner join products on order_lines.product_id = products.product_id
left join shipments on orders.order_id = shipments.order_id;

create view export_inventory_snapshots as
select
    date_format(count_date, '%Y-%m-%d') as snapshot_date,
    cast(environment as char) as environment,
    warehouse_id,
    product_id,
    cast(quantity_on_hand as char) as quantity_on_hand,
    cast(quantity_reserved as char) as quantity_reserved,
    cast(reorder_point as char) as reorder_point,
    cast(unit_cost as char) as unit_cost,
    currency,
    updated_at
from stock_counts;

create view export_products as
select
    products.product_id,
    products.product_name,
    products.category,
    products.sub_category,
    products.brand,
    products.supplier_id,
    cast(current_prices.unit_list_price as char) as unit_list_price,
    cast(current_prices.unit_standard_cost as char) as unit_standard_cost,
    date_format(products.launched_on, '%Y-%m-%d') as launched_on,
    date_format(products.discontinued_on, '%Y-%m-%d') as discontinued_on,
    greatest(products.updated_at, coalesce(current_prices.updated_at, products.updated_at)) as updated_at
from products
left join product_prices as current_prices
    on products.product_id = current_prices.product_id
    and current_prices.valid_from = (
        select max(later.valid_from) from product_prices as later
        where later.product_id = products.product_id
    );

create view export_suppliers as
select
    supplier_id, supplier_name, country, contact_name, contact_email,
    cast(lead_time_days as char) as lead_time_days,
    updated_at
from suppliers;

create view export_carriers as
select carrier_id, carrier_name, service_level, updated_at
from carriers;

create view export_locations as
select
    location_id, location_name, cast(location_type as char) as location_type, city, region, country,
    date_format(opened_on, '%Y-%m-%d') as opened_on,
    updated_at
from locations;

create view export_manufacturing_costs as
select
    product_id, cast(fiscal_year as char) as fiscal_year,
    cast(unit_manufacturing_cost as char) as unit_manufacturing_cost,
    updated_at
from manufacturing_costs;

create view export_post_invoice_deductions as
select
    customer_id, cast(fiscal_year as char) as fiscal_year,
    cast(deduction_pct as char) as deduction_pct,
    updated_at
from post_invoice_deductions;

create view export_freight_costs as
select
    country, cast(fiscal_year as char) as fiscal_year,
    cast(freight_pct as char) as freight_pct, cast(other_cost_pct as char) as other_cost_pct,
    updated_at
from freight_costs;

create view export_erasure_requests as
select customer_id, requested_at
from erasure_requests;
