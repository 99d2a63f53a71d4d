"""The OLTP database's connection settings, from the environment (defaults: the
MariaDB on this machine, user root without password, database sales_oltp)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class OltpSettings:
    host: str
    port: int
    user: str
    password: str
    database: str

    @classmethod
    def from_env(cls) -> OltpSettings:
        env = os.environ.get
        return cls(host=env("SALES_INSIGHTS_OLTP_HOST", "127.0.0.1"),
                   port=int(env("SALES_INSIGHTS_OLTP_PORT", "3306")),
                   user=env("SALES_INSIGHTS_OLTP_USER", "root"),
                   password=env("SALES_INSIGHTS_OLTP_PASSWORD", ""),
                   database=env("SALES_INSIGHTS_OLTP_DATABASE", "sales_oltp"))

    def sqlalchemy_url(self) -> str:
        """For dlt's sql_database source (SQLAlchemy with the PyMySQL driver)."""
        return (f"mysql+pymysql://{quote(self.user, safe='')}:{quote(self.password, safe='')}"
                f"@{self.host}:{self.port}/{quote(self.database, safe='')}?charset=utf8mb4")

    def describe(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.database}"


def connect(settings: OltpSettings, with_database: bool = True):
    """A PyMySQL connection in UTC, autocommit off."""
    import pymysql

    return pymysql.connect(host=settings.host, port=settings.port, user=settings.user,
                           password=settings.password,
                           database=settings.database if with_database else None,
                           charset="utf8mb4", autocommit=False, init_command="set time_zone = '+00:00'")
