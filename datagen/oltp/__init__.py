"""The operational (OLTP) database of the Sales Management System, generated on
MySQL/MariaDB from datagen's simulated company: `create` fills it, `day` applies one
day of business. Run through scripts/oltp.sh."""
