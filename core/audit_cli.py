"""`flask audit-verify` and `flask audit-anchor`."""

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from core.audit import verify_chain
from core.audit_anchor import check_against, take_checkpoint
from core.audit_heads import check_seen
from core.audit_records import verify_records
from extensions import db


def verify_trail(checkpoint: dict | None = None) -> list[str]:
    """Print what holds; return the failures in words (empty when the trail is sound)."""
    checked, broken, reason = verify_chain()
    if reason:
        where = (
            f"entry {broken.id} ({broken.action} {broken.entity} {broken.entity_id})"
            if broken
            else "the end of the chain"
        )
        return [
            f"The audit trail is broken at {where}: {reason}.",
            f"{checked} entries before it are intact.",
        ]
    click.echo(f"The audit trail is intact: {checked} entries.")
    failures = []
    if why := check_seen():
        failures.append(f"The audit trail is not the one this server wrote: {why}.")
    if checkpoint is not None:
        why = check_against(checkpoint)
        if why:
            failures.append(f"The audit trail does not match the checkpoint: {why}.")
        else:
            click.echo(
                f"It matches the checkpoint of {checkpoint['at']} "
                f"({checkpoint['entries']} entries)."
            )
    rows, problems = verify_records()
    if problems:
        failures.append(f"{len(problems)} records differ from the audit trail:")
        failures += [f"  {problem}" for problem in problems[:50]]
    else:
        click.echo(
            "Attendance, results, certificates and what they are judged by match the trail: "
            f"{rows} rows."
        )
    return failures


@click.command("audit-verify")
@click.option(
    "--checkpoint",
    type=click.Path(exists=True, dir_okay=False),
    help="A checkpoint written by audit-anchor: nothing before it may have changed.",
)
@with_appcontext
def audit_verify_command(checkpoint: str | None) -> None:
    """Check the trail's chain and that the records match it; exit 1 naming what is broken."""
    document = None
    if checkpoint:
        try:
            document = json.loads(Path(checkpoint).read_text())
        except (ValueError, UnicodeDecodeError) as error:
            raise click.ClickException(f"{checkpoint} is not a checkpoint: {error}") from error
        if not isinstance(document, dict):
            raise click.ClickException(f"{checkpoint} is not a checkpoint.")
    failures = verify_trail(document)
    for line in failures:
        click.echo(line, err=True)
    if failures:
        raise SystemExit(1)


@click.command("audit-anchor")
@click.option(
    "--output", type=click.Path(dir_okay=False, writable=True), help="Also write it to this file."
)
@with_appcontext
def audit_anchor_command(output: str | None) -> None:
    """Print and store a signed checkpoint of the trail: keep a copy outside the database."""
    _checked, _broken, reason = verify_chain()
    if reason:
        raise click.ClickException(f"The audit trail is broken ({reason}): run audit-verify.")
    checkpoint = take_checkpoint()
    db.session.commit()
    document = json.dumps(checkpoint.as_document(), indent=2)
    if output:
        Path(output).write_text(document + "\n")
    click.echo(document)
