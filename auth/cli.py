"""`flask create-user`."""

import click

from auth import bp
from auth.accounts import create_user
from core.errors import RuleBroken
from extensions import db
from models.account import Role


def fail_with(error: RuleBroken) -> None:
    """Print a refusal with every field's reason, and exit 1."""
    click.echo(f"Error: {error.message}", err=True)
    for field, messages in error.fields.items():
        for message in messages:
            click.echo(f"  {field}: {message}", err=True)
    raise SystemExit(1)


@bp.cli.command("create-user")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--role", required=True, type=click.Choice([role.value for role in Role]))
@click.option("--trainee-id", type=int, default=None, help="The trainee record (trainees only).")
@click.option("--full-name", default=None, help="Defaults to the part of the e-mail before @.")
def create_user_command(email, password, role, trainee_id, full_name):
    """Add an account."""
    try:
        user = create_user(
            email=email,
            password=password,
            role=role,
            full_name=full_name or email.partition("@")[0],
            trainee_id=trainee_id,
        )
    except RuleBroken as error:
        db.session.rollback()
        fail_with(error)
    db.session.commit()
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")
