"""Command-line tools: init-db, create-admin, demo, unlock, backup, restore."""

import click
from flask import current_app
from flask.cli import with_appcontext

from . import accounts, passwords
from .configuration import LOCAL_URL
from .db import database, write_transaction
from .migrations import init_db
from .models import AuditLog, Organisation, User


def init_app(app):
    app.cli.add_command(init_db_command)
    app.cli.add_command(create_admin)
    app.cli.add_command(demo_command)
    app.cli.add_command(unlock_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create the tables and seed the lists; safe to run on every start."""
    init_db()
    click.echo(f"Database ready: {current_app.config['DATABASE_URL']}")


@click.command("create-admin")
@click.argument("email")
@click.option("--first-name", required=True, help="The administrator's first name.")
@click.option("--last-name", default="", help="The administrator's last name.")
@click.option("--password", help="Their password; asked for (twice, hidden) when not given.")
def create_admin(email, first_name, last_name, password):
    """Create the first administrator of a fresh install."""
    init_db()
    email = accounts.normal_email(email)
    with database.connection_context():
        if User.by_email(email):
            raise click.ClickException(f"There is already an account for {email}.")
        user = User(email=email, first_name=first_name.strip(), last_name=last_name.strip(), is_admin=True)
        org = Organisation.current()
        while True:
            if password is None:
                password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
            found = passwords.problems(password, user, org)
            if not found:
                break
            message = "Password refused: " + " ".join(found)
            if not click.get_text_stream("stdin").isatty():
                raise click.ClickException(message)
            click.echo(message, err=True)
            password = None
        with write_transaction():
            user.password_hash = passwords.hash_password(password)
            user.save()
            AuditLog.record(None, "create-admin", user, after={"email": email})
    click.echo(f"Administrator {email} created. {_where_to_log_in()}")


def _where_to_log_in():
    """The log-in address when BASE_URL is set here; otherwise no address that may be the wrong one."""
    if current_app.config["BASE_URL"] != LOCAL_URL:
        return f"Log in at {current_app.config['BASE_URL']}/login"
    return (
        f"Log in at /login on the address CERVIS is served at ({LOCAL_URL} for "
        "`flask --app app run`; set BASE_URL, or CERVIS_BASE_URL, for emails' links and this message)."
    )


@click.command("demo")
@click.option("--force", is_flag=True, help="Load it even into a database with a charity's own data.")
@with_appcontext
def demo_command(force):
    """Load a fictional charity to try every step, and print its logins.

    Refuses a database that holds an organisation or accounts of its own, unless --force.
    """
    from .demo import load, not_the_demos

    init_db()
    with database.connection_context():
        found = not_the_demos()
        if found and not force:
            raise click.ClickException(
                f"This database ({current_app.config['DATABASE_URL']}) already holds {' and '.join(found)}. "
                "The demo would rename the organisation and add fictional people to it. "
                "Use an empty instance (CERVIS_INSTANCE_PATH), or add --force to load it anyway."
            )
        logins = load()
    click.echo("Demo organisation ready. Log in at " + current_app.config["BASE_URL"] + "/login with:")
    for role, email, password in logins:
        click.echo(f"  {role:<14} {email:<32} {password}")


@click.command("unlock")
@click.argument("email")
def unlock_command(email):
    """Let an account locked by failed log-ins try again now."""
    with database.connection_context():
        accounts.unlock(email)
    click.echo(f"{email} unlocked.")


@click.command("backup")
@click.argument("path", required=False, type=click.Path(dir_okay=True, writable=True))
@with_appcontext
def backup_command(path):
    """Write one archive: the database (a consistent copy, checked), secret key, config.py and documents.

    PATH is a file or a folder; without it the archive goes to instance/backups/.
    """
    from . import backups

    try:
        made = backups.make(path)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written: {made}")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Restore even though CERVIS seems to be running.")
@with_appcontext
def restore_command(path, force):
    """Check a backup archive and restore it into this (stopped) instance.

    What was there before is moved to instance/before-restore-<time>/, never deleted.
    """
    from . import backups, restore

    try:
        manifest, aside, erased = restore.restore(path, force=force)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored the backup made at {manifest.get('made_at', '?')} UTC.")
    click.echo(f"The files it replaced are in {aside}.")
    if erased:
        click.echo(
            f"Erased again {len(erased)} volunteer{'s' if len(erased) != 1 else ''} erased since "
            f"this backup was made (the erasure log, instance/erasures.log): accounts {', '.join(map(str, erased))}."
        )
    click.echo("Start CERVIS again (sudo systemctl start cervis)" + (", or restart it now." if force else "."))
