"""Every certificate checked against its signature: after a restore, or on demand."""

import click
from sqlalchemy import select

from extensions import db
from models import Certificate
from trainees.certificates.issuing import is_authentic


def verify_all_certificates(batch: int = 500) -> list[str]:
    """Print how many verify; answer the failures in words (empty when all verify)."""
    checked, forged, last_id = 0, [], 0
    while True:
        certificates = db.session.scalars(
            select(Certificate)
            .where(Certificate.id > last_id)
            .order_by(Certificate.id)
            .limit(batch)
        ).all()
        if not certificates:
            break
        for certificate in certificates:
            checked += 1
            if not is_authentic(certificate):
                forged.append(certificate.number)
        last_id = certificates[-1].id
        db.session.expunge_all()  # bounded memory however many there are
    if forged:
        shown = ", ".join(forged[:20])
        return [f"{len(forged)} of {checked} certificates fail their signature: {shown}."]
    click.echo(f"Every certificate verifies: {checked}.")
    return []
