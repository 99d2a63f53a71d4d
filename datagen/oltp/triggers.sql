-- Triggers of the OLTP database, created once the initial fill is in (so that the bulk
-- fill does not fire them row by row; the generator computes the same values itself).

-- @business_time: the generator's simulated clock (a real application leaves it null)
create trigger order_lines_log_delete after delete on order_lines for each row
    insert into deleted_order_lines (order_id, order_line_number, deleted_at)
    values (old.order_id, old.order_line_number, coalesce(@business_time, current_timestamp));

-- an order line's exported row changes with its order and its shipment: their change
-- moves the line's updated_at on, the cursor the extract-load reads
create trigger orders_touch_lines after update on orders for each row
    update order_lines set updated_at = greatest(updated_at, new.updated_at)
    where order_id = new.order_id;

create trigger shipments_insert_touch_lines after insert on shipments for each row
    update order_lines set updated_at = greatest(updated_at, new.updated_at)
    where order_id = new.order_id;

create trigger shipments_update_touch_lines after update on shipments for each row
    update order_lines set updated_at = greatest(updated_at, new.updated_at)
    where order_id = new.order_id;
