"""`xiaoan rebuild [--warehouse PATH]`: the warehouse again from the archived files."""

from __future__ import annotations

from xiaoan import config
from xiaoan.i18n import t
from xiaoan.rules import RulesError
from xiaoan_cli.common import WarehouseOpt, console, fail, lang, warn_rules


def command(warehouse: WarehouseOpt = None) -> None:
    """Recreate the warehouse from the archived files alone."""
    from pipelines.publish import MappingError, SchemaError
    from pipelines.publish import rebuild as run_rebuild

    target = config.warehouse_path(warehouse)
    warn_rules()
    try:
        result = run_rebuild(target)
    except FileNotFoundError as exc:
        if exc.filename is None:  # rebuild's own refusal: the archive holds nothing
            fail(t("cli.rebuild.no_archive", lang(), path=config.archive_dir(target)))
        fail(t("cli.cannot_read", lang(), path=exc.filename, reason=exc.strerror or exc))
    except SchemaError as exc:
        fail(t("cli.schema_broken", lang(), detail=exc))
    except MappingError as exc:  # the office's current mapping is what every file is read again under
        fail(t("cli.ingest.mapping_broken", lang(), detail=str(exc).splitlines()[0]))
    except RulesError as exc:  # derived values follow the rules file: none are guessed without it
        fail(t("cli.rules_broken", lang(), detail=str(exc).splitlines()[0]))
    console.print(t("cli.rebuilt", lang(), target=target, files=result.files, batches=result.batches,
                    seconds=f"{result.seconds:.1f}"), markup=False, highlight=False)
