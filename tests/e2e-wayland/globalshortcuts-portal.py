#!/usr/bin/python3
"""A stand-in for a desktop's GlobalShortcuts portal, for the Wayland suite.

No desktop Debian 12 ships offers org.freedesktop.portal.GlobalShortcuts
(its xdg-desktop-portal is 1.16; GNOME 48, KDE Plasma 6 and Hyprland have
it). This speaks the interface as the specification has it
(https://flatpak.github.io/xdg-desktop-portal/docs/doc-org.freedesktop.portal.GlobalShortcuts.html)
on the suite's private bus, under the portal's own name, so the app's
client is tested over real D-Bus: CreateSession and BindShortcuts answer
through Request objects' Response signals, and Activated is sent when the
suite calls Press(id) on /test, as a desktop does when the keys are pressed.

Every call is written to the log file given as the first argument, a JSON
object per line.
"""
import json
import sys

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

NAME = "org.freedesktop.portal.Desktop"
PATH = "/org/freedesktop/portal/desktop"
XML = """
<node>
  <interface name="org.freedesktop.portal.GlobalShortcuts">
    <method name="CreateSession">
      <arg type="a{sv}" name="options" direction="in"/>
      <arg type="o" name="handle" direction="out"/>
    </method>
    <method name="BindShortcuts">
      <arg type="o" name="session_handle" direction="in"/>
      <arg type="a(sa{sv})" name="shortcuts" direction="in"/>
      <arg type="s" name="parent_window" direction="in"/>
      <arg type="a{sv}" name="options" direction="in"/>
      <arg type="o" name="request_handle" direction="out"/>
    </method>
    <signal name="Activated">
      <arg type="o" name="session_handle"/>
      <arg type="s" name="shortcut_id"/>
      <arg type="t" name="timestamp"/>
      <arg type="a{sv}" name="options"/>
    </signal>
    <property name="version" type="u" access="read"/>
  </interface>
  <interface name="nl.authdesk.Test">
    <method name="Press">
      <arg type="s" name="shortcut_id" direction="in"/>
    </method>
  </interface>
</node>
"""

log = open(sys.argv[1], "a", buffering=1)
sessions = {}  # session path -> the app's unique name


def handle(kind, sender, token):
    """The object path the specification derives from the caller and its token."""
    return f"{PATH}/{kind}/{sender[1:].replace('.', '_')}/{token}"


def respond(conn, request, results):
    # After the method's reply: the caller subscribed to this path first.
    GLib.idle_add(lambda: conn.emit_signal(
        None, request, "org.freedesktop.portal.Request", "Response",
        GLib.Variant("(ua{sv})", (0, results))) and False)


def on_call(conn, sender, path, interface, method, params, invocation):
    args = params.unpack()
    if method == "CreateSession":
        options = args[0]
        request = handle("request", sender, options["handle_token"])
        session = handle("session", sender, options["session_handle_token"])
        sessions[session] = sender
        log.write(json.dumps({"call": method, "session": session}) + "\n")
        invocation.return_value(GLib.Variant("(o)", (request,)))
        respond(conn, request, {"session_handle": GLib.Variant("s", session)})
    elif method == "BindShortcuts":
        session, shortcuts, _parent, options = args
        request = handle("request", sender, options["handle_token"])
        log.write(json.dumps({"call": method, "session": session, "shortcuts": [
            {"id": i, "description": o.get("description"), "preferred_trigger": o.get("preferred_trigger")}
            for i, o in shortcuts]}) + "\n")
        invocation.return_value(GLib.Variant("(o)", (request,)))
        bound = [(i, {"description": GLib.Variant("s", o.get("description", "")),
                      "trigger_description": GLib.Variant("s", o.get("preferred_trigger") or "")})
                 for i, o in shortcuts]
        respond(conn, request, {"shortcuts": GLib.Variant("a(sa{sv})", bound)})
    elif method == "Press":
        (shortcut,) = args
        for session, owner in sessions.items():
            # A session's signals go to its owner alone.
            conn.emit_signal(owner, PATH, "org.freedesktop.portal.GlobalShortcuts", "Activated",
                             GLib.Variant("(osta{sv})", (session, shortcut, 0, {})))
        log.write(json.dumps({"call": method, "id": shortcut, "sessions": len(sessions)}) + "\n")
        invocation.return_value(None)


def on_property(conn, sender, path, interface, name):
    return GLib.Variant("u", 1)


def on_bus(conn, _name):
    info = Gio.DBusNodeInfo.new_for_xml(XML)
    conn.register_object(PATH, info.interfaces[0], on_call, on_property, None)
    conn.register_object("/test", info.interfaces[1], on_call, None, None)


def on_name(_conn, name):
    log.write(json.dumps({"owned": name}) + "\n")


def on_lost(_conn, name):
    log.write(json.dumps({"lost": name}) + "\n")
    loop.quit()


loop = GLib.MainLoop()
Gio.bus_own_name(Gio.BusType.SESSION, NAME, Gio.BusNameOwnerFlags.NONE, on_bus, on_name, on_lost)
loop.run()
