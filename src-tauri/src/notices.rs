//! Desktop notifications the app sends by itself (a code copied from the
//! tray menu, a code auto-typed or copied instead), in the UI's language.
//! Only names and reasons: never a code.

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

use crate::settings::Language;
use crate::state::AppState;

/// What a notice says; `{name}`, `{s}` and `{reason}` are filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    Copied,
    CopiedNext,
    UnlockFirst,
    NotIntoOurs,
    NoWindow,
    CopiedInstead,
}

fn words(lang: Language, notice: Notice) -> &'static str {
    use Notice::*;
    match (lang, notice) {
        (Language::Nl, Copied) => "Code van {name} gekopieerd",
        (Language::Nl, CopiedNext) => "Volgende code van {name} gekopieerd: geldig over {s} s",
        (Language::Nl, UnlockFirst) => "Ontgrendel Authdesk eerst.",
        (Language::Nl, NotIntoOurs) => {
            "Authdesk typt geen code in zijn eigen venster. Ga naar het venster van het portaal en druk de sneltoets opnieuw."
        }
        (Language::Nl, NoWindow) => {
            "Geen venster heeft de focus. Klik in het codeveld van het portaal en druk de sneltoets opnieuw."
        }
        (Language::Nl, CopiedInstead) => {
            "Typen kan hier niet ({reason}); de code van {name} is gekopieerd. Plak hem met Ctrl+V."
        }
        (Language::De, Copied) => "Code von {name} kopiert",
        (Language::De, CopiedNext) => "Nächster Code von {name} kopiert: gültig in {s} s",
        (Language::De, UnlockFirst) => "Entsperren Sie Authdesk zuerst.",
        (Language::De, NotIntoOurs) => {
            "Authdesk tippt keinen Code in sein eigenes Fenster. Wechseln Sie zum Fenster des Portals und drücken Sie das Tastenkürzel erneut."
        }
        (Language::De, NoWindow) => {
            "Kein Fenster hat den Fokus. Klicken Sie in das Codefeld des Portals und drücken Sie das Tastenkürzel erneut."
        }
        (Language::De, CopiedInstead) => {
            "Tippen ist hier nicht möglich ({reason}); der Code von {name} wurde kopiert. Fügen Sie ihn mit Strg+V ein."
        }
        (Language::Fr, Copied) => "Code de {name} copié",
        (Language::Fr, CopiedNext) => "Code suivant de {name} copié : valable dans {s} s",
        (Language::Fr, UnlockFirst) => "Déverrouillez d’abord Authdesk.",
        (Language::Fr, NotIntoOurs) => {
            "Authdesk ne tape pas de code dans sa propre fenêtre. Passez à la fenêtre du portail et appuyez de nouveau sur le raccourci."
        }
        (Language::Fr, NoWindow) => {
            "Aucune fenêtre n’a le focus. Cliquez dans le champ du code du portail et appuyez de nouveau sur le raccourci."
        }
        (Language::Fr, CopiedInstead) => {
            "Impossible de taper ici ({reason}) ; le code de {name} a été copié. Collez-le avec Ctrl+V."
        }
        (_, Copied) => "Code for {name} copied",
        (_, CopiedNext) => "Next code for {name} copied: valid in {s} s",
        (_, UnlockFirst) => "Unlock Authdesk first.",
        (_, NotIntoOurs) => {
            "Authdesk does not type a code into its own window. Switch to the portal’s window and press the shortcut again."
        }
        (_, NoWindow) => {
            "No window has the focus. Click into the portal’s code field and press the shortcut again."
        }
        (_, CopiedInstead) => {
            "Typing is not possible here ({reason}); the code for {name} was copied instead. Paste it with Ctrl+V."
        }
    }
}

/// The notice's text in the UI's language.
pub fn text<R: Runtime>(app: &AppHandle<R>, notice: Notice, values: &[(&str, &str)]) -> String {
    let lang = app.state::<AppState>().settings().effective_language();
    let mut text = words(lang, notice).to_owned();
    for (key, value) in values {
        text = text.replace(&format!("{{{key}}}"), value);
    }
    text
}

/// Shows `notice`. Where no notification service runs, nothing is shown:
/// what the notice reports has happened all the same.
pub fn show<R: Runtime>(app: &AppHandle<R>, notice: Notice, values: &[(&str, &str)]) {
    show_text(app, &text(app, notice, values));
}

/// Shows a text made elsewhere (an error's message).
pub fn show_text<R: Runtime>(app: &AppHandle<R>, body: &str) {
    let _ = app
        .notification()
        .builder()
        .title("Authdesk")
        .body(body)
        .show();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notice_names_its_values_in_every_language() {
        use Notice::*;
        for lang in [Language::En, Language::Nl, Language::De, Language::Fr] {
            for n in [
                Copied,
                CopiedNext,
                UnlockFirst,
                NotIntoOurs,
                NoWindow,
                CopiedInstead,
            ] {
                let english = words(Language::En, n);
                let here = words(lang, n);
                for key in ["{name}", "{s}", "{reason}"] {
                    assert_eq!(
                        english.contains(key),
                        here.contains(key),
                        "{lang:?} {n:?} {key}"
                    );
                }
            }
        }
    }
}
