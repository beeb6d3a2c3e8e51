<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_CA" sourcelanguage="en">
<context>
    <name>AdmitAllQuestion</name>
    <message>
        <source>{name} (not in the group)</source>
        <translation>{name} (pas membre du groupe)</translation>
    </message>
    <message>
        <source>{name} (in the group, not expected)</source>
        <translation>{name} (membre du groupe, non attendu)</translation>
    </message>
    <message>
        <source>Admit everyone waiting</source>
        <translation>Admettre toutes les personnes en attente</translation>
    </message>
    <message>
        <source>Not on the list of expected members: {names}.</source>
        <translation>Pas sur la liste des membres attendus : {names}.</translation>
    </message>
    <message>
        <source>Check who they are before letting them into the group. Admit only the expected members, or everyone waiting?</source>
        <translation>Vérifiez de qui il s&apos;agit avant de les faire entrer dans le groupe. Admettre seulement les membres attendus, ou toutes les personnes en attente?</translation>
    </message>
    <message>
        <source>Admit only the e&amp;xpected ({count})</source>
        <translation>Admettre seulement les &amp;attendus ({count})</translation>
    </message>
    <message>
        <source>Admit &amp;everyone ({count})</source>
        <translation>Admettre &amp;tout le monde ({count})</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>A&amp;nnuler</translation>
    </message>
</context>
<context>
    <name>AdmitReasonDialog</name>
    <message>
        <source>Admit anyway</source>
        <translation>Admettre quand même</translation>
    </message>
    <message>
        <source>Admit {name} anyway?</source>
        <translation>Admettre {name} quand même?</translation>
    </message>
    <message>
        <source>{name} has not answered what admission waits on: {items}.</source>
        <translation>{name} n&apos;a pas répondu à ce qu&apos;exige l&apos;admission : {items}.</translation>
    </message>
    <message>
        <source>Say why you admit them anyway (for instance: confirmed by phone). The reason is kept with their answers in the session&apos;s log.</source>
        <translation>Dites pourquoi vous l&apos;admettez quand même (par exemple : confirmé par téléphone). La raison est conservée avec ses réponses dans le journal de la rencontre.</translation>
    </message>
    <message>
        <source>Reason for admitting them anyway</source>
        <translation>Raison de l&apos;admettre quand même</translation>
    </message>
    <message>
        <source>Reason for admitting {name} anyway</source>
        <translation>Raison d&apos;admettre {name} quand même</translation>
    </message>
    <message>
        <source>The reason is too long: at most {limit} characters.</source>
        <translation>La raison est trop longue : au plus {limit} caractères.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
</context>
<context>
    <name>Answers</name>
    <message>
        <source>location</source>
        <translation>lieu</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>téléphone</translation>
    </message>
    <message>
        <source>emergency contact</source>
        <translation>personne à joindre en cas d&apos;urgence</translation>
    </message>
    <message>
        <source>Missing: {items}</source>
        <translation>Manque : {items}</translation>
    </message>
    <message>
        <source>{label}: no</source>
        <translation>{label} : non</translation>
    </message>
    <message>
        <source>{label}: {value}</source>
        <translation>{label} : {value}</translation>
    </message>
    <message>
        <source>No answers yet.</source>
        <translation>Aucune réponse pour l&apos;instant.</translation>
    </message>
    <message>
        <source>{name} {value}</source>
        <translation>{name} {value}</translation>
    </message>
</context>
<context>
    <name>AnswersDialog</name>
    <message>
        <source>Not answered yet:
{items}
The facilitator decides whether to let you in without these answers. Go back to answer them, or ask to join anyway.</source>
        <translation>Sans réponse pour l&apos;instant :
{items}
La personne qui anime décide si elle vous laisse entrer sans ces réponses. Revenez en arrière pour y répondre, ou demandez à entrer quand même.</translation>
    </message>
    <message>
        <source>Before you join</source>
        <translation>Avant d&apos;entrer</translation>
    </message>
    <message>
        <source>The facilitator sees your answers before letting you in. Your location and phone number are only for the facilitators, in case the connection fails or you need help.</source>
        <translation>La personne qui anime voit vos réponses avant de vous laisser entrer. Votre emplacement et votre numéro de téléphone ne sont transmis qu&apos;à l&apos;animation, pour le cas où la connexion coupe ou si vous avez besoin d&apos;aide.</translation>
    </message>
    <message>
        <source>Group rules</source>
        <translation>Règles du groupe</translation>
    </message>
    <message>
        <source>Text of the group rules</source>
        <translation>Texte des règles du groupe</translation>
    </message>
    <message>
        <source>Taking part remotely</source>
        <translation>Participer à distance</translation>
    </message>
    <message>
        <source>Text of the consent to taking part remotely</source>
        <translation>Texte du consentement à la participation à distance</translation>
    </message>
    <message>
        <source>I have read this and I agree to take part remotely</source>
        <translation>J&apos;ai lu ce texte et j&apos;accepte de participer à distance</translation>
    </message>
    <message>
        <source>{question} (required)</source>
        <translation>{question} (obligatoire)</translation>
    </message>
    <message>
        <source>Asked at every session: where you are today, in case of an emergency.</source>
        <translation>Demandé à chaque séance : où vous êtes aujourd&apos;hui, en cas d&apos;urgence.</translation>
    </message>
    <message>
        <source>&amp;Go back and answer</source>
        <translation>&amp;Revenir pour répondre</translation>
    </message>
    <message>
        <source>Ask to join &amp;anyway</source>
        <translation>Demander à entrer &amp;quand même</translation>
    </message>
    <message>
        <source>Ask to &amp;join</source>
        <translation>Demander à &amp;entrer</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
</context>
<context>
    <name>AttendanceView</name>
    <message>
        <source>Attendance (⚠ {count})</source>
        <translation>Présences (⚠ {count})</translation>
    </message>
    <message>
        <source>Attendance</source>
        <translation>Présences</translation>
    </message>
    <message>
        <source>Missed {count} sessions in a row</source>
        <translation>{count} séances manquées de suite</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>Membre</translation>
    </message>
    <message>
        <source>Attended</source>
        <translation>Présences</translation>
    </message>
    <message>
        <source>Attrition</source>
        <translation>Décrochage</translation>
    </message>
    <message>
        <source>⚠ {name}: missed {count} sessions in a row</source>
        <translation>⚠ {name} : {count} séances manquées de suite</translation>
    </message>
    <message>
        <source>{name}, {session}: {mark}</source>
        <translation>{name}, {session} : {mark}</translation>
    </message>
    <message>
        <source>{attended} of {expected}</source>
        <translation>{attended} sur {expected}</translation>
    </message>
    <message>
        <source>{name} attended {attended} of the {expected} sessions expected</source>
        <translation>{name} était présent ou présente à {attended} des {expected} séances attendues</translation>
    </message>
    <message>
        <source>⚠ Missed {count} sessions in a row</source>
        <translation>⚠ {count} séances manquées de suite</translation>
    </message>
    <message>
        <source>{name}: {flag}</source>
        <translation>{name} : {flag}</translation>
    </message>
    <message>
        <source>{date} (1:1)</source>
        <translation>{date} (individuelle)</translation>
    </message>
    <message>
        <source>one-to-one meeting of {date}</source>
        <translation>rencontre individuelle du {date}</translation>
    </message>
    <message>
        <source>session of {date}</source>
        <translation>séance du {date}</translation>
    </message>
    <message>
        <source>✔ online</source>
        <translation>✔ en ligne</translation>
    </message>
    <message>
        <source>✔ in the room</source>
        <translation>✔ dans la salle</translation>
    </message>
    <message>
        <source>✘ absent</source>
        <translation>✘ absence</translation>
    </message>
    <message>
        <source>not held</source>
        <translation>n&apos;a pas eu lieu</translation>
    </message>
    <message>
        <source>present online</source>
        <translation>présence en ligne</translation>
    </message>
    <message>
        <source>present in the room</source>
        <translation>présence dans la salle</translation>
    </message>
    <message>
        <source>absent</source>
        <translation>absence</translation>
    </message>
    <message>
        <source>not expected</source>
        <translation>non attendu</translation>
    </message>
    <message>
        <source>the session was not held</source>
        <translation>la séance n&apos;a pas eu lieu</translation>
    </message>
    <message>
        <source>No past sessions yet: attendance appears after the first session.</source>
        <translation>Aucune séance passée pour l&apos;instant : les présences s&apos;affichent après la première séance.</translation>
    </message>
    <message>
        <source>No members yet: add the group&apos;s members first.</source>
        <translation>Aucun membre pour l&apos;instant : ajoutez d&apos;abord les membres du groupe.</translation>
    </message>
    <message>
        <source>Attendance across sessions</source>
        <translation>Présences d&apos;une séance à l&apos;autre</translation>
    </message>
    <message>
        <source>✔ present (online or in the room) · ✘ absent · — not expected. A member is flagged after {count} sessions missed in a row (your organisation&apos;s policy).</source>
        <translation>✔ présence (en ligne ou dans la salle) · ✘ absence · — non attendu. Un membre est signalé après {count} séances manquées de suite (politique de votre organisation).</translation>
    </message>
</context>
<context>
    <name>AudioOnlyHint</name>
    <message>
        <source>Audio only: you are not sending or receiving video.</source>
        <translation>Son seulement : vous n&apos;envoyez ni ne recevez de vidéo.</translation>
    </message>
    <message>
        <source>Your connection seems weak. Audio only might keep the conversation clearer.</source>
        <translation>Votre connexion semble faible. Le son seulement pourrait garder la conversation plus claire.</translation>
    </message>
    <message>
        <source>Switch to audio only</source>
        <translation>Passer au son seulement</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>Pas maintenant</translation>
    </message>
    <message>
        <source>Hide the audio-only suggestion</source>
        <translation>Masquer la suggestion de son seulement</translation>
    </message>
    <message>
        <source>Receive video again</source>
        <translation>Recevoir la vidéo de nouveau</translation>
    </message>
</context>
<context>
    <name>AutoLock</name>
    <message>
        <source>GroupDesk cannot lock now</source>
        <translation>GroupDesk ne peut pas verrouiller maintenant</translation>
    </message>
    <message>
        <source>A live session is under way: locking now would close the session log that is recording it.</source>
        <translation>Une séance en direct est en cours : verrouiller maintenant fermerait le journal de séances qui l&apos;enregistre.</translation>
    </message>
    <message>
        <source>End the session first. To step away during a session, lock your computer&apos;s screen instead. GroupDesk does not lock by itself during a live session; its idle time starts again when the session ends.</source>
        <translation>Terminez d&apos;abord la séance. Pour vous absenter pendant une séance, verrouillez plutôt l&apos;écran de votre ordinateur. GroupDesk ne se verrouille pas de lui-même pendant une séance en direct; le délai d&apos;inactivité recommence à la fin de la séance.</translation>
    </message>
    <message>
        <source>&amp;Lock now</source>
        <translation>&amp;Verrouiller maintenant</translation>
    </message>
    <message>
        <source>Lock &amp;automatically</source>
        <translation>Verrouiller &amp;automatiquement</translation>
    </message>
    <message>
        <source>After 1 minute</source>
        <translation>Après 1 minute</translation>
    </message>
    <message>
        <source>After {count} minutes</source>
        <translation>Après {count} minutes</translation>
    </message>
    <message>
        <source>Your organisation allows at most {ceiling} minutes.</source>
        <translation>Votre organisation permet au plus {ceiling} minutes.</translation>
    </message>
    <message>
        <source>Managed by your organisation: at most {ceiling} minutes</source>
        <translation>Géré par votre organisation : au plus {ceiling} minutes</translation>
    </message>
</context>
<context>
    <name>BlockedPanel</name>
    <message>
        <source>If you have the recovery key you wrote down when you created the log, use it to open the log. Otherwise, contact your organisation&apos;s support.</source>
        <translation>Si vous avez la clé de récupération notée à la création du journal, utilisez-la pour l&apos;ouvrir. Sinon, communiquez avec le soutien technique de votre organisation.</translation>
    </message>
    <message>
        <source>GroupDesk has not changed the file. Keep it as it is and contact your organisation&apos;s support; you can try again once the cause is fixed.</source>
        <translation>GroupDesk n&apos;a pas modifié le fichier. Laissez-le tel quel et communiquez avec le soutien technique de votre organisation; vous pourrez réessayer une fois la cause corrigée.</translation>
    </message>
    <message>
        <source>Session log folder: {folder}</source>
        <translation>Dossier du journal de séances : {folder}</translation>
    </message>
    <message>
        <source>GroupDesk cannot open your session log</source>
        <translation>GroupDesk ne peut pas ouvrir votre journal de séances</translation>
    </message>
    <message>
        <source>Use my &amp;recovery key</source>
        <translation>Utiliser ma clé de &amp;récupération</translation>
    </message>
    <message>
        <source>Use my recovery key</source>
        <translation>Utiliser ma clé de récupération</translation>
    </message>
    <message>
        <source>Try &amp;again</source>
        <translation>Réessa&amp;yer</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Réessayer</translation>
    </message>
</context>
<context>
    <name>BreakReminderBar</name>
    <message>
        <source>You have been facilitating for {minutes} minutes. A short break may help you and the group: when the moment is right, you can propose a pause of a few minutes.</source>
        <extracomment>How often the reminder is checked; it shows at most this late.</extracomment>
        <translation>Vous animez depuis {minutes} minutes. Une courte pause peut vous faire du bien, à vous et au groupe : au bon moment, vous pouvez proposer une pause de quelques minutes.</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Dismiss the break reminder</source>
        <translation>Fermer le rappel de pause</translation>
    </message>
</context>
<context>
    <name>BusyPanel</name>
    <message>
        <source>Opening your session log…</source>
        <translation>Ouverture de votre journal de séances…</translation>
    </message>
    <message>
        <source>GroupDesk checks that the log is intact before showing it.</source>
        <translation>GroupDesk vérifie que le journal est intact avant de l&apos;afficher.</translation>
    </message>
</context>
<context>
    <name>CaptureSetting</name>
    <message>
        <source>Hide this window from screen &amp;capture</source>
        <translation>Cacher cette fenêtre des &amp;captures d&apos;écran</translation>
    </message>
    <message>
        <source>{setting} (not available on this system)</source>
        <translation>{setting} (non offert sur ce système)</translation>
    </message>
    <message>
        <source>This system gives no way to hide a window from screen capture (Windows 10 version 2004 and later, and macOS, do).</source>
        <translation>Ce système ne permet pas de cacher une fenêtre aux captures d&apos;écran (Windows 10 version 2004 et suivantes, et macOS, le permettent).</translation>
    </message>
    <message>
        <source>Not available on this system</source>
        <translation>Non offert sur ce système</translation>
    </message>
    <message>
        <source>{setting} (managed by your organisation)</source>
        <translation>{setting} (géré par votre organisation)</translation>
    </message>
    <message>
        <source>Other programs that record or share the screen see this window blank.</source>
        <translation>Les autres programmes qui enregistrent ou partagent l&apos;écran voient cette fenêtre vide.</translation>
    </message>
</context>
<context>
    <name>ChatPanel</name>
    <message>
        <source>You</source>
        <translation>Vous</translation>
    </message>
    <message>
        <source>You to {name} (private)</source>
        <translation>Vous à {name} (privé)</translation>
    </message>
    <message>
        <source>{name} (private)</source>
        <translation>{name} (privé)</translation>
    </message>
    <message>
        <source>{time}  {name}: {text}</source>
        <translation>{time}  {name}&#xa0;: {text}</translation>
    </message>
    <message>
        <source>To everyone</source>
        <translation>À tout le monde</translation>
    </message>
    <message>
        <source>Private to {name}</source>
        <translation>En privé à {name}</translation>
    </message>
    <message>
        <source>Write a message…</source>
        <translation>Écrivez un message…</translation>
    </message>
    <message>
        <source>Chat message</source>
        <translation>Message de clavardage</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Envoyer</translation>
    </message>
    <message>
        <source>Send the message</source>
        <translation>Envoyer le message</translation>
    </message>
    <message>
        <source>Send to</source>
        <translation>Destinataire</translation>
    </message>
    <message>
        <source>Chat messages</source>
        <translation>Messages du clavardage</translation>
    </message>
</context>
<context>
    <name>ChecklistPanel</name>
    <message>
        <source>Checklist complete.</source>
        <extracomment>Said under the box: how far the person is (the page places it).</extracomment>
        <translation>Liste de vérification complète.</translation>
    </message>
    <message>
        <source>Checked: {done} of {total}. You can prepare now and finish it later.</source>
        <translation>Cochés : {done} sur {total}. Vous pouvez préparer la séance maintenant et terminer la liste plus tard.</translation>
    </message>
    <message>
        <source>Before you open the room</source>
        <translation>Avant d&apos;ouvrir la salle</translation>
    </message>
    <message>
        <source>Confidentiality checklist</source>
        <translation>Liste de vérification de la confidentialité</translation>
    </message>
</context>
<context>
    <name>Consent</name>
    <message>
        <source>in person</source>
        <translation>en personne</translation>
    </message>
    <message>
        <source>by phone</source>
        <translation>par téléphone</translation>
    </message>
    <message>
        <source>on the participant page</source>
        <translation>sur la page de participation</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>Retiré</translation>
    </message>
    <message>
        <source>Needed: no text on record</source>
        <translation>À obtenir : aucun texte au dossier</translation>
    </message>
    <message>
        <source>Needed: not given yet</source>
        <translation>À obtenir : pas encore donné</translation>
    </message>
    <message>
        <source>Needed: version {old} only ({date})</source>
        <translation>À obtenir : version {old} seulement ({date})</translation>
    </message>
    <message>
        <source>Given {date}, {how}</source>
        <translation>Donné le {date}, {how}</translation>
    </message>
</context>
<context>
    <name>ConsentDialog</name>
    <message>
        <source>The consent could not be recorded.</source>
        <translation>Le consentement n&apos;a pas pu être enregistré.</translation>
    </message>
    <message>
        <source>Consent to remote work</source>
        <translation>Consentement à la participation à distance</translation>
    </message>
    <message>
        <source>Consent to remote work: {name}</source>
        <translation>Consentement à la participation à distance : {name}</translation>
    </message>
    <message>
        <source>Now: {standing}</source>
        <translation>Actuellement : {standing}</translation>
    </message>
    <message>
        <source>Go through this text with the person, or make sure they have read it, and answer their questions. Then record how they gave their consent.</source>
        <translation>Parcourez ce texte avec la personne, ou assurez-vous qu&apos;elle l&apos;a lu, et répondez à ses questions. Enregistrez ensuite la façon dont elle a donné son consentement.</translation>
    </message>
    <message>
        <source>Text of the consent, version {version}</source>
        <translation>Texte du consentement, version {version}</translation>
    </message>
    <message>
        <source>Version {version} of your organisation&apos;s text.</source>
        <translation>Version {version} du texte de votre organisation.</translation>
    </message>
    <message>
        <source>&amp;How it was given:</source>
        <translation>&amp;Façon dont il a été donné :</translation>
    </message>
    <message>
        <source>How the consent was given</source>
        <translation>Façon dont le consentement a été donné</translation>
    </message>
    <message>
        <source>&amp;Record consent</source>
        <translation>&amp;Enregistrer le consentement</translation>
    </message>
    <message>
        <source>Record that {name} consented to this version</source>
        <translation>Enregistrer que {name} a consenti à cette version</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Close without recording</source>
        <translation>Fermer sans enregistrer</translation>
    </message>
</context>
<context>
    <name>CreatePanel</name>
    <message>
        <source>The two passphrases are different. Type the same passphrase twice.</source>
        <translation>Les deux phrases de passe sont différentes. Tapez deux fois la même phrase de passe.</translation>
    </message>
    <message>
        <source>Welcome to GroupDesk</source>
        <translation>Bienvenue dans GroupDesk</translation>
    </message>
    <message>
        <source>GroupDesk keeps your groups, attendance and session notes in an encrypted log on this computer. Choose how the log is protected.</source>
        <translation>GroupDesk conserve vos groupes, les présences et vos notes de séance dans un journal chiffré sur cet ordinateur. Choisissez comment ce journal est protégé.</translation>
    </message>
    <message>
        <source>Keep the key in this computer&apos;s keyring (recommended)</source>
        <translation>Garder la clé dans le trousseau de cet ordinateur (recommandé)</translation>
    </message>
    <message>
        <source>Protect the log with the keyring</source>
        <translation>Protéger le journal avec le trousseau</translation>
    </message>
    <message>
        <source>The log opens by itself when you are signed in to this computer.</source>
        <translation>Le journal s&apos;ouvre de lui-même quand votre session est ouverte sur cet ordinateur.</translation>
    </message>
    <message>
        <source>This computer has no keyring GroupDesk can use, so your log will be protected by a passphrase.</source>
        <translation>Cet ordinateur n&apos;a pas de trousseau que GroupDesk peut utiliser : votre journal sera donc protégé par une phrase de passe.</translation>
    </message>
    <message>
        <source>Protect it with a passphrase</source>
        <translation>Le protéger par une phrase de passe</translation>
    </message>
    <message>
        <source>Protect the log with a passphrase</source>
        <translation>Protéger le journal par une phrase de passe</translation>
    </message>
    <message>
        <source>You will type it each time GroupDesk starts. Choose a few words you will remember: nobody can open the log without the passphrase or your recovery key.</source>
        <translation>Vous la taperez à chaque démarrage de GroupDesk. Choisissez quelques mots dont vous vous souviendrez : personne ne peut ouvrir le journal sans la phrase de passe ou votre clé de récupération.</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>&amp;Phrase de passe :</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Phrase de passe</translation>
    </message>
    <message>
        <source>&amp;Type it again:</source>
        <translation>&amp;Tapez-la de nouveau :</translation>
    </message>
    <message>
        <source>Passphrase again</source>
        <translation>Phrase de passe, de nouveau</translation>
    </message>
    <message>
        <source>&amp;Create my session log</source>
        <translation>&amp;Créer mon journal de séances</translation>
    </message>
    <message>
        <source>Create my session log</source>
        <translation>Créer mon journal de séances</translation>
    </message>
</context>
<context>
    <name>CredentialDialog</name>
    <message>
        <source>Server:</source>
        <translation>Serveur :</translation>
    </message>
    <message>
        <source>Facilitator account:</source>
        <translation>Compte d&apos;animation :</translation>
    </message>
    <message>
        <source>Credential:</source>
        <translation>Mot de passe du serveur :</translation>
    </message>
    <message>
        <source>Sign in to your organisation&apos;s server</source>
        <translation>Connexion au serveur de votre organisation</translation>
    </message>
    <message>
        <source>Facilitator account</source>
        <translation>Compte d&apos;animation</translation>
    </message>
    <message>
        <source>Facilitator credential</source>
        <translation>Mot de passe du serveur pour animer</translation>
    </message>
    <message>
        <source>Kept in this computer&apos;s keyring once the server accepts it.</source>
        <translation>Gardé dans le trousseau de cet ordinateur une fois accepté par le serveur.</translation>
    </message>
</context>
<context>
    <name>CrisisPanel</name>
    <message>
        <source>Crisis</source>
        <translation>Crise</translation>
    </message>
    <message>
        <source>Crisis: {name}</source>
        <translation>Crise : {name}</translation>
    </message>
    <message>
        <source>{name}&apos;s connection dropped — call {phone}</source>
        <translation>La connexion de {name} a coupé — appelez au {phone}</translation>
    </message>
    <message>
        <source>{name}&apos;s connection dropped. They gave no phone number: try their emergency contact, or the chat.</source>
        <translation>La connexion de {name} a coupé. Aucun numéro de téléphone donné : essayez la personne à joindre en cas d&apos;urgence, ou le clavardage.</translation>
    </message>
    <message>
        <source>{name} has not been heard for {seconds} s.</source>
        <translation>On n&apos;entend plus {name} depuis {seconds} s.</translation>
    </message>
    <message>
        <source>{name}&apos;s picture has not moved for {seconds} s.</source>
        <translation>L&apos;image de {name} est figée depuis {seconds} s.</translation>
    </message>
    <message>
        <source>not given</source>
        <translation>non fourni</translation>
    </message>
    <message>
        <source>{place} (region {region})</source>
        <translation>{place} (région {region})</translation>
    </message>
    <message>
        <source>Location: {where}</source>
        <translation>Lieu : {where}</translation>
    </message>
    <message>
        <source>Phone: {phone}</source>
        <translation>Téléphone : {phone}</translation>
    </message>
    <message>
        <source>Emergency contact: {who}</source>
        <translation>Personne à joindre en cas d&apos;urgence : {who}</translation>
    </message>
    <message>
        <source>Back to the group</source>
        <translation>Retour au groupe</translation>
    </message>
    <message>
        <source>Leave the private side room with {name}: back to the group</source>
        <translation>Quitter la salle à part avec {name} : retour au groupe</translation>
    </message>
    <message>
        <source>Private side room</source>
        <translation>Salle à part</translation>
    </message>
    <message>
        <source>Go to a private side room with {name}</source>
        <translation>Passer dans une salle à part avec {name}</translation>
    </message>
    <message>
        <source>text {number}</source>
        <translation>texto au {number}</translation>
    </message>
    <message>
        <source>{name}: {numbers}</source>
        <translation>{name}&#xa0;: {numbers}</translation>
    </message>
    <message>
        <source>done at {time}</source>
        <translation>fait à {time}</translation>
    </message>
    <message>
        <source>{step} (done at {time})</source>
        <translation>{step} (fait à {time})</translation>
    </message>
    <message>
        <source>Observation</source>
        <translation>Observation</translation>
    </message>
    <message>
        <source>Observation beside the step: {step}</source>
        <translation>Observation sur l&apos;étape : {step}</translation>
    </message>
    <message>
        <source>The incident of {name} could not be saved in the session log. Write what happened in the session&apos;s notes now.</source>
        <translation>L&apos;incident de {name} n&apos;a pas pu être enregistré dans le journal de séances. Écrivez dès maintenant ce qui s&apos;est passé dans les notes de la séance.</translation>
    </message>
    <message>
        <source>The incident of {name} is saved in the session log (incident {id}), and its summary in the session&apos;s notes.</source>
        <translation>L&apos;incident de {name} est enregistré dans le journal de séances (incident {id}), et son résumé dans les notes de la séance.</translation>
    </message>
    <message>
        <source>Whose crisis panel to show</source>
        <translation>Panneau de crise à afficher</translation>
    </message>
    <message>
        <source>Crisis lines (their region and language first)</source>
        <translation>Lignes d&apos;aide (celles de sa région et de sa langue d&apos;abord)</translation>
    </message>
    <message>
        <source>Protocol: tick each step as it is done</source>
        <translation>Protocole : cochez chaque étape une fois faite</translation>
    </message>
    <message>
        <source>General &amp;observations:</source>
        <translation>Observations &amp;générales :</translation>
    </message>
    <message>
        <source>General observations</source>
        <translation>Observations générales</translation>
    </message>
    <message>
        <source>Lines &amp;used:</source>
        <translation>Lignes &amp;utilisées :</translation>
    </message>
    <message>
        <source>Crisis lines used</source>
        <translation>Lignes d&apos;aide utilisées</translation>
    </message>
    <message>
        <source>&amp;Referred to:</source>
        <translation>&amp;Orientation vers :</translation>
    </message>
    <message>
        <source>Lines the person was referred to</source>
        <translation>Lignes vers lesquelles la personne a été orientée</translation>
    </message>
    <message>
        <source>Ou&amp;tcome:</source>
        <translation>&amp;Issue :</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Issue</translation>
    </message>
    <message>
        <source>Not said yet</source>
        <translation>Pas encore précisée</translation>
    </message>
    <message>
        <source>Safe: the person is safe for now</source>
        <translation>En sécurité : la personne est en sécurité pour l&apos;instant</translation>
    </message>
    <message>
        <source>Emergency services called</source>
        <translation>Services d&apos;urgence appelés</translation>
    </message>
    <message>
        <source>Referred to a crisis line or service</source>
        <translation>Orientée vers une ligne d&apos;aide ou un service</translation>
    </message>
    <message>
        <source>Contact lost</source>
        <translation>Contact perdu</translation>
    </message>
    <message>
        <source>Other (see the observations)</source>
        <translation>Autre (voir les observations)</translation>
    </message>
    <message>
        <source>&amp;Close and save the incident…</source>
        <translation>&amp;Fermer et enregistrer l&apos;incident…</translation>
    </message>
    <message>
        <source>Close the crisis panel and save the incident</source>
        <translation>Fermer le panneau de crise et enregistrer l&apos;incident</translation>
    </message>
    <message>
        <source>Crisis panel</source>
        <translation>Panneau de crise</translation>
    </message>
</context>
<context>
    <name>DevicesPage</name>
    <message>
        <source>← &amp;Back</source>
        <extracomment>The quietest level the meter shows (dBFS); below it the bar is empty.</extracomment>
        <translation>← &amp;Retour</translation>
    </message>
    <message>
        <source>Back to the previous page</source>
        <translation>Retour à la page précédente</translation>
    </message>
    <message>
        <source>Back (Alt+Left)</source>
        <translation>Retour (Alt+Gauche)</translation>
    </message>
    <message>
        <source>Camera, microphone and speaker</source>
        <translation>Caméra, micro et haut-parleur</translation>
    </message>
    <message>
        <source>Check what the group will see and hear before you go live: your picture below, the bar moving when you speak, and the test sound in your headset.</source>
        <translation>Vérifiez ce que le groupe verra et entendra avant de commencer : votre image ci-dessous, la barre qui bouge quand vous parlez et le son d&apos;essai dans votre casque.</translation>
    </message>
    <message>
        <source>Test pattern (no camera found)</source>
        <translation>Mire d&apos;essai (aucune caméra trouvée)</translation>
    </message>
    <message>
        <source>Test audio (no microphone found)</source>
        <translation>Son d&apos;essai (aucun micro trouvé)</translation>
    </message>
    <message>
        <source>No speaker found</source>
        <translation>Aucun haut-parleur trouvé</translation>
    </message>
    <message>
        <source>&amp;Camera:</source>
        <translation>&amp;Caméra :</translation>
    </message>
    <message>
        <source>&amp;Microphone:</source>
        <translation>&amp;Micro :</translation>
    </message>
    <message>
        <source>Level:</source>
        <translation>Niveau :</translation>
    </message>
    <message>
        <source>&amp;Speaker:</source>
        <translation>&amp;Haut-parleur :</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Caméra</translation>
    </message>
    <message>
        <source>Microphone</source>
        <translation>Micro</translation>
    </message>
    <message>
        <source>Speaker</source>
        <translation>Haut-parleur</translation>
    </message>
    <message>
        <source>Microphone level</source>
        <translation>Niveau du micro</translation>
    </message>
    <message>
        <source>Camera preview</source>
        <translation>Aperçu de la caméra</translation>
    </message>
    <message>
        <source>Starting the preview…</source>
        <translation>Démarrage de l&apos;aperçu…</translation>
    </message>
    <message>
        <source>&amp;Play a test sound</source>
        <translation>&amp;Faire jouer un son d&apos;essai</translation>
    </message>
    <message>
        <source>Play a test sound</source>
        <translation>Faire jouer un son d&apos;essai</translation>
    </message>
    <message>
        <source>Play a test sound (Ctrl+T)</source>
        <translation>Faire jouer un son d&apos;essai (Ctrl+T)</translation>
    </message>
    <message>
        <source>No speaker or headset was found: plug one in to hear the test sound.</source>
        <translation>Aucun haut-parleur ni casque n&apos;a été trouvé : branchez-en un pour entendre le son d&apos;essai.</translation>
    </message>
    <message>
        <source>Your camera or microphone was found but could not be opened: another program may be using it. Close that program, then come back to this page.</source>
        <translation>Votre caméra ou votre micro a été trouvé, mais n&apos;a pas pu être ouvert : un autre programme l&apos;utilise peut-être. Fermez ce programme, puis revenez à cette page.</translation>
    </message>
    <message>
        <source>No camera or microphone was found on this computer. GroupDesk shows a test pattern with your name and the meter follows speech-like test audio, so you can still rehearse. In a session, participants would see the test pattern and hear nothing from you: use the chat.</source>
        <translation>Aucune caméra ni aucun micro n&apos;a été trouvé sur cet ordinateur. GroupDesk affiche une mire avec votre nom et l&apos;indicateur suit un son d&apos;essai semblable à la parole, pour que vous puissiez quand même vous exercer. En séance, les participants verraient la mire et ne vous entendraient pas : utilisez le clavardage.</translation>
    </message>
    <message>
        <source>No microphone was found on this computer. The meter follows speech-like test audio instead; in a session, participants would hear nothing from you.</source>
        <translation>Aucun micro n&apos;a été trouvé sur cet ordinateur. L&apos;indicateur suit plutôt un son d&apos;essai semblable à la parole; en séance, les participants ne vous entendraient pas.</translation>
    </message>
    <message>
        <source>No camera was found on this computer. GroupDesk shows a test pattern with your name instead; participants would see it.</source>
        <translation>Aucune caméra n&apos;a été trouvée sur cet ordinateur. GroupDesk affiche plutôt une mire d&apos;essai à votre nom; les participants la verraient.</translation>
    </message>
</context>
<context>
    <name>DroppedCallRow</name>
    <message>
        <source>{name}&apos;s connection dropped. Their phone: {phone}</source>
        <translation>La connexion de {name} a coupé. Son téléphone : {phone}</translation>
    </message>
    <message>
        <source>{name}&apos;s connection dropped. They gave no phone number.</source>
        <translation>La connexion de {name} a coupé. Aucun numéro de téléphone n&apos;a été donné.</translation>
    </message>
    <message>
        <source>Call them</source>
        <translation>Appeler</translation>
    </message>
    <message>
        <source>Call {name}: copy their phone number</source>
        <translation>Appeler {name} : copier son numéro de téléphone</translation>
    </message>
    <message>
        <source>Suggest the chat</source>
        <translation>Proposer le clavardage</translation>
    </message>
    <message>
        <source>Suggest to {name}, privately, to write in the chat</source>
        <translation>Proposer à {name}, en privé, d&apos;écrire dans le clavardage</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <source>Done with the dropped connection of {name}</source>
        <translation>Terminé pour la connexion coupée de {name}</translation>
    </message>
</context>
<context>
    <name>DroppedCallsNotice</name>
    <message>
        <source>Number copied: call {phone} from your phone.</source>
        <translation>Numéro copié : appelez le {phone} avec votre téléphone.</translation>
    </message>
    <message>
        <source>Your connection dropped. If you can, write in the chat.</source>
        <translation>Votre connexion a coupé. Si vous le pouvez, écrivez dans le clavardage.</translation>
    </message>
    <message>
        <source>Sent to {name} in private chat.</source>
        <translation>Envoyé à {name} en clavardage privé.</translation>
    </message>
</context>
<context>
    <name>EditorView</name>
    <message>
        <source>Text of the note</source>
        <translation>Texte de la note</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>&amp;Historique</translation>
    </message>
    <message>
        <source>Earlier versions of the note</source>
        <translation>Versions précédentes de la note</translation>
    </message>
    <message>
        <source>Si&amp;gn…</source>
        <translation>Si&amp;gner…</translation>
    </message>
    <message>
        <source>Sign the note (its text is then fixed)</source>
        <translation>Signer la note (son texte est alors figé)</translation>
    </message>
    <message>
        <source>&amp;Refer…</source>
        <translation>&amp;Orienter…</translation>
    </message>
    <message>
        <source>Refer the member to a resource</source>
        <translation>Orienter le membre vers une ressource</translation>
    </message>
    <message>
        <source>E&amp;xport PDF…</source>
        <translation>E&amp;xporter en PDF…</translation>
    </message>
    <message>
        <source>Export the note to PDF</source>
        <translation>Exporter la note en PDF</translation>
    </message>
    <message>
        <source>Addenda, after the signature</source>
        <translation>Addenda, après la signature</translation>
    </message>
    <message>
        <source>Addenda of the note</source>
        <translation>Addenda de la note</translation>
    </message>
    <message>
        <source>New addendum</source>
        <translation>Nouvel addenda</translation>
    </message>
    <message>
        <source>What to add to the signed note</source>
        <translation>Ce qui s&apos;ajoute à la note signée</translation>
    </message>
    <message>
        <source>&amp;Add an addendum</source>
        <translation>&amp;Ajouter un addenda</translation>
    </message>
    <message>
        <source>Add the addendum, dated and signed</source>
        <translation>Ajouter l&apos;addenda, daté et signé</translation>
    </message>
    <message>
        <source>Referrals</source>
        <translation>Orientations</translation>
    </message>
    <message>
        <source>Referrals of the member</source>
        <translation>Orientations du membre</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>Export to PDF</source>
        <translation>Exporter en PDF</translation>
    </message>
    <message>
        <source>Session record saved to {path}</source>
        <translation>Dossier de la séance enregistré dans {path}</translation>
    </message>
    <message>
        <source>Note saved to {path}</source>
        <translation>Note enregistrée dans {path}</translation>
    </message>
    <message>
        <source>Member history saved to {path}</source>
        <translation>Historique du membre enregistré dans {path}</translation>
    </message>
    <message>
        <source>The export was not recorded in the log, so the file was removed: {reason}</source>
        <translation>L&apos;export n&apos;a pas pu être consigné au journal, le fichier a donc été supprimé : {reason}</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export to PDF</source>
        <translation>Exporter en PDF</translation>
    </message>
    <message>
        <source>&amp;Choose…</source>
        <translation>&amp;Choisir…</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Exporter</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>&amp;Language of the record:</source>
        <translation>&amp;Langue du dossier :</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>&amp;Fichier :</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Fichiers PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Give the name of the file to write.</source>
        <translation>Donnez le nom du fichier à écrire.</translation>
    </message>
    <message>
        <source>This is a folder: give a file name.</source>
        <translation>C&apos;est un dossier : donnez un nom de fichier.</translation>
    </message>
    <message>
        <source>This folder does not exist.</source>
        <translation>Ce dossier n&apos;existe pas.</translation>
    </message>
    <message>
        <source>This file exists. Press Export again to replace it.</source>
        <translation>Ce fichier existe. Appuyez de nouveau sur Exporter pour le remplacer.</translation>
    </message>
</context>
<context>
    <name>FactsPanel</name>
    <message>
        <source>Facts to cite</source>
        <translation>Faits à citer</translation>
    </message>
    <message>
        <source>Facts of the session</source>
        <translation>Faits de la séance</translation>
    </message>
    <message>
        <source>&amp;Insert</source>
        <translation>&amp;Insérer</translation>
    </message>
    <message>
        <source>Insert the selected facts at the cursor in the note</source>
        <translation>Insérer les faits choisis dans la note, au curseur</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copier</translation>
    </message>
    <message>
        <source>Copy the selected facts</source>
        <translation>Copier les faits choisis</translation>
    </message>
</context>
<context>
    <name>GroupDialog</name>
    <message>
        <source>A group needs a name.</source>
        <translation>Un groupe doit avoir un nom.</translation>
    </message>
    <message>
        <source>Edit group</source>
        <translation>Modifier le groupe</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom :</translation>
    </message>
    <message>
        <source>Name of the group</source>
        <translation>Nom du groupe</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>&amp;Description :</translation>
    </message>
    <message>
        <source>Description of the group</source>
        <translation>Description du groupe</translation>
    </message>
    <message>
        <source>Who the group is for, where and when it meets</source>
        <translation>À qui s&apos;adresse le groupe, où et quand il se réunit</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Enregistrer</translation>
    </message>
    <message>
        <source>Save the group</source>
        <translation>Enregistrer le groupe</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Cancel without saving</source>
        <translation>Annuler sans enregistrer</translation>
    </message>
</context>
<context>
    <name>GroupHeader</name>
    <message>
        <source>{name} (archived)</source>
        <translation>{name} (archivé)</translation>
    </message>
    <message>
        <source>Resto&amp;re group</source>
        <translation>&amp;Restaurer le groupe</translation>
    </message>
    <message>
        <source>Restore the archived group</source>
        <translation>Restaurer le groupe archivé</translation>
    </message>
    <message>
        <source>Archi&amp;ve group</source>
        <translation>Archi&amp;ver le groupe</translation>
    </message>
    <message>
        <source>Archive the group</source>
        <translation>Archiver le groupe</translation>
    </message>
    <message>
        <source>&amp;Prepare a session…</source>
        <translation>&amp;Préparer une séance…</translation>
    </message>
    <message>
        <source>Prepare a session for this group</source>
        <translation>Préparer une séance pour ce groupe</translation>
    </message>
    <message>
        <source>Prepare a session (Ctrl+P)</source>
        <translation>Préparer une séance (Ctrl+P)</translation>
    </message>
    <message>
        <source>&amp;Edit group…</source>
        <translation>&amp;Modifier le groupe…</translation>
    </message>
    <message>
        <source>Edit the name and description of the group</source>
        <translation>Modifier le nom et la description du groupe</translation>
    </message>
    <message>
        <source>Edit the group (F2)</source>
        <translation>Modifier le groupe (F2)</translation>
    </message>
    <message>
        <source>An archived group keeps its records; show archived groups to restore it.</source>
        <translation>Un groupe archivé garde ses dossiers; affichez les groupes archivés pour le restaurer.</translation>
    </message>
</context>
<context>
    <name>GuidelinesDialog</name>
    <message>
        <source>Your organisation&apos;s guidelines</source>
        <extracomment>Opens an address in the person&apos;s browser (tests pass their own).</extracomment>
        <translation>Lignes directrices de votre organisation</translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <source>History of the note</source>
        <translation>Historique de la note</translation>
    </message>
    <message>
        <source>Versions of the note</source>
        <translation>Versions de la note</translation>
    </message>
    <message>
        <source>Text of this version (read-only)</source>
        <translation>Texte de cette version (lecture seule)</translation>
    </message>
    <message>
        <source>Back to the &amp;note</source>
        <translation>Retour à la &amp;note</translation>
    </message>
    <message>
        <source>Back to the note</source>
        <translation>Retour à la note</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>{name} (archived)</source>
        <translation>{name} (archivé)</translation>
    </message>
    <message>
        <source>planned, expected: {expected}</source>
        <translation>prévue, attendus : {expected}</translation>
    </message>
    <message>
        <source>present: {attended} of {expected}</source>
        <translation>présents : {attended} sur {expected}</translation>
    </message>
    <message>
        <source>present: {attended}</source>
        <translation>présents : {attended}</translation>
    </message>
    <message>
        <source>{date}, {time} — {who} — {group}</source>
        <translation>{date}, {time} — {who} — {group}</translation>
    </message>
    <message>
        <source>No groups yet.
Create your first group: type its name above and press Create group (Ctrl+N).</source>
        <translation>Aucun groupe pour l&apos;instant.
Créez votre premier groupe : tapez son nom ci-dessus et appuyez sur Créer le groupe (Ctrl+N).</translation>
    </message>
    <message>
        <source>Past sessions will appear here once you have a group.</source>
        <translation>Les séances passées s&apos;afficheront ici une fois votre premier groupe créé.</translation>
    </message>
    <message>
        <source>No past sessions for this group yet.
Sessions you run with it will appear here.</source>
        <translation>Aucune séance passée pour ce groupe.
Les séances que vous animerez avec lui s&apos;afficheront ici.</translation>
    </message>
    <message>
        <source>No past sessions yet.
Sessions you run will appear here.</source>
        <translation>Aucune séance passée pour l&apos;instant.
Les séances que vous animerez s&apos;afficheront ici.</translation>
    </message>
    <message>
        <source>&amp;New group:</source>
        <translation>&amp;Nouveau groupe :</translation>
    </message>
    <message>
        <source>Name of the group</source>
        <translation>Nom du groupe</translation>
    </message>
    <message>
        <source>Name of the new group</source>
        <translation>Nom du nouveau groupe</translation>
    </message>
    <message>
        <source>Create group</source>
        <translation>Créer le groupe</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>Groupes</translation>
    </message>
    <message>
        <source>Past sessions</source>
        <translation>Séances passées</translation>
    </message>
    <message>
        <source>Enter or double-click: the notes of the session</source>
        <translation>Entrée ou double-clic : les notes de la séance</translation>
    </message>
    <message>
        <source>Show &amp;all groups</source>
        <translation>&amp;Tous les groupes</translation>
    </message>
    <message>
        <source>Show the sessions of all groups</source>
        <translation>Afficher les séances de tous les groupes</translation>
    </message>
    <message>
        <source>Sho&amp;w archived groups and members</source>
        <translation>Afficher les groupes et membres arc&amp;hivés</translation>
    </message>
    <message>
        <source>Show archived groups and members</source>
        <translation>Afficher les groupes et membres archivés</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Membres</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Séances</translation>
    </message>
    <message>
        <source>The group&apos;s members and sessions</source>
        <translation>Les membres et les séances du groupe</translation>
    </message>
    <message>
        <source>one-to-one with {name}, {who}</source>
        <translation>rencontre individuelle avec {name}, {who}</translation>
    </message>
</context>
<context>
    <name>JoinDialog</name>
    <message>
        <source>I co-facilitate this session</source>
        <translation>Je coanime cette séance</translation>
    </message>
    <message>
        <source>You sign in to your organisation&apos;s server and join without waiting.</source>
        <translation>Vous vous connectez au serveur de votre organisation et entrez sans attendre.</translation>
    </message>
    <message>
        <source>Co-facilitating needs your organisation&apos;s server (set by its policy); on this computer you can join as a participant.</source>
        <translation>La coanimation demande le serveur de votre organisation (fixé par sa politique); sur cet ordinateur, vous pouvez vous joindre comme participant.</translation>
    </message>
    <message>
        <source>Invite link:</source>
        <translation>Lien d&apos;invitation :</translation>
    </message>
    <message>
        <source>Your name:</source>
        <translation>Votre nom :</translation>
    </message>
    <message>
        <source>Join a session as participant</source>
        <translation>Se joindre à une séance comme participant</translation>
    </message>
    <message>
        <source>Invite link</source>
        <translation>Lien d&apos;invitation</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Votre nom</translation>
    </message>
</context>
<context>
    <name>LiveCrisisView</name>
    <message>
        <source>To open the crisis panel, pin or spotlight the member first, or use “Crisis…” in their tile&apos;s menu.</source>
        <translation>Pour ouvrir le panneau de crise, épinglez ou mettez d&apos;abord la personne en vedette, ou utilisez « Crise… » dans le menu de sa vignette.</translation>
    </message>
    <message>
        <source>The crisis panel opens in the app of the facilitator who opened the room: it keeps the session&apos;s record. Ask them to open it, or use the private chat.</source>
        <translation>Le panneau de crise s&apos;ouvre dans l&apos;application de la personne qui a ouvert la salle : elle garde le dossier de la séance. Demandez-lui de l&apos;ouvrir, ou utilisez le clavardage privé.</translation>
    </message>
    <message>
        <source>Close the crisis panel</source>
        <translation>Fermer le panneau de crise</translation>
    </message>
    <message>
        <source>Close the crisis panel of {name}?</source>
        <translation>Fermer le panneau de crise de {name}?</translation>
    </message>
    <message>
        <source>The incident (each step with its time, the observations, the lines, the outcome) is saved in the session log and summed up in the session&apos;s notes. It cannot be changed afterwards.</source>
        <translation>L&apos;incident (chaque étape avec son heure, les observations, les lignes d&apos;aide, l&apos;issue) est enregistré dans le journal de séances et résumé dans les notes de la séance. Il ne pourra plus être modifié ensuite.</translation>
    </message>
    <message>
        <source>Crisis</source>
        <translation>Crise</translation>
    </message>
    <message>
        <source>Crisis ({count})</source>
        <translation>Crise ({count})</translation>
    </message>
</context>
<context>
    <name>LiveInRoomView</name>
    <message>
        <source>In the room ({count})</source>
        <translation>Dans la salle ({count})</translation>
    </message>
    <message>
        <source>{name} — in the room</source>
        <translation>{name} — dans la salle</translation>
    </message>
    <message>
        <source>Live session</source>
        <translation>Séance en direct</translation>
    </message>
    <message>
        <source>One-to-one meeting with {name}</source>
        <translation>Rencontre individuelle avec {name}</translation>
    </message>
    <message>
        <source>Who is in the room? Tick the members present in the room with you: they are marked present from now until you untick them or the session ends.</source>
        <translation>Qui est dans la salle? Cochez les membres présents dans la salle avec vous : leur présence est notée à partir de maintenant, jusqu&apos;à ce que vous les décochiez ou que la séance se termine.</translation>
    </message>
    <message>
        <source>Who is in the room</source>
        <translation>Qui est dans la salle</translation>
    </message>
    <message>
        <source>Every member expected is on the call: nobody to mark in the room.</source>
        <translation>Tous les membres attendus sont en ligne : personne à noter dans la salle.</translation>
    </message>
</context>
<context>
    <name>LivePage</name>
    <message>
        <source>Invite link copied. Send it to the participants.</source>
        <translation>Lien d&apos;invitation copié. Transmettez-le aux participants.</translation>
    </message>
    <message>
        <source>End the session</source>
        <translation>Terminer la séance</translation>
    </message>
    <message>
        <source>End the session for everyone?</source>
        <translation>Terminer la séance pour tout le monde?</translation>
    </message>
    <message>
        <source>Everyone leaves the room; the attendance is saved in the session log.</source>
        <translation>Tout le monde quitte la salle; les présences sont enregistrées dans le journal de séances.</translation>
    </message>
    <message>
        <source>Leave the session</source>
        <translation>Quitter la séance</translation>
    </message>
    <message>
        <source>Leave the session?</source>
        <translation>Quitter la séance?</translation>
    </message>
    <message>
        <source>Unpin</source>
        <translation>Désépingler</translation>
    </message>
    <message>
        <source>Pin for me</source>
        <translation>Épingler pour moi</translation>
    </message>
    <message>
        <source>Stop the spotlight</source>
        <translation>Arrêter la mise en vedette</translation>
    </message>
    <message>
        <source>Spotlight for everyone</source>
        <translation>Mettre en vedette pour tout le monde</translation>
    </message>
    <message>
        <source>Private message…</source>
        <translation>Message privé…</translation>
    </message>
    <message>
        <source>Contact and answers…</source>
        <translation>Coordonnées et réponses…</translation>
    </message>
    <message>
        <source>Crisis…</source>
        <translation>Crise…</translation>
    </message>
    <message>
        <source>Ask to mute</source>
        <translation>Demander de couper le micro</translation>
    </message>
    <message>
        <source>Remove from the session…</source>
        <translation>Retirer de la séance…</translation>
    </message>
    <message>
        <source>The facilitator asks you to mute your microphone.</source>
        <translation>La personne qui anime vous demande de couper votre micro.</translation>
    </message>
    <message>
        <source>Remove from the session</source>
        <translation>Retirer de la séance</translation>
    </message>
    <message>
        <source>Remove {name} from the session?</source>
        <translation>Retirer {name} de la séance?</translation>
    </message>
    <message>
        <source>The server cannot be reached. Check the network (or the server address in your organisation&apos;s policy), then open the room again.</source>
        <translation>Le serveur est injoignable. Vérifiez le réseau (ou l&apos;adresse du serveur dans la politique de votre organisation), puis ouvrez la salle de nouveau.</translation>
    </message>
    <message>
        <source>The server refused your facilitator credential. Ask your administrator for a new one and enter it again.</source>
        <translation>Le serveur a refusé votre identifiant d&apos;animation. Demandez-en un nouveau à votre administrateur et entrez-le de nouveau.</translation>
    </message>
    <message>
        <source>Enter the facilitator credential your administrator gave you to open rooms on your organisation&apos;s server.</source>
        <translation>Entrez l&apos;identifiant d&apos;animation que votre administrateur vous a remis pour ouvrir des salles sur le serveur de votre organisation.</translation>
    </message>
    <message>
        <source>The room is full: nobody else can join. Remove a member or end the session to make room.</source>
        <translation>La salle est pleine : personne d&apos;autre ne peut entrer. Retirez un membre ou terminez la séance pour faire de la place.</translation>
    </message>
    <message>
        <source>The connection to the server is lost. What happened so far is saved; end the session to record its summary, or open a new room.</source>
        <translation>La connexion au serveur est perdue. Ce qui s&apos;est passé jusqu&apos;ici est enregistré; terminez la séance pour en consigner le résumé, ou ouvrez une nouvelle salle.</translation>
    </message>
    <message>
        <source>This invite link is not valid. Ask the facilitator for the link again.</source>
        <translation>Ce lien d&apos;invitation n&apos;est pas valide. Demandez le lien de nouveau à la personne qui anime.</translation>
    </message>
    <message>
        <source>This invite link has expired. Ask the facilitator for a new one.</source>
        <translation>Ce lien d&apos;invitation est expiré. Demandez-en un nouveau à la personne qui anime.</translation>
    </message>
    <message>
        <source>The facilitator did not admit you to this session.</source>
        <translation>La personne qui anime ne vous a pas admis à cette séance.</translation>
    </message>
    <message>
        <source>The facilitator removed you from the session.</source>
        <translation>La personne qui anime vous a retiré de la séance.</translation>
    </message>
    <message>
        <source>The facilitator ended the session.</source>
        <translation>La personne qui anime a terminé la séance.</translation>
    </message>
    <message>
        <source>The session log could not save the last event. The session goes on; what was saved before is safe.</source>
        <translation>Le journal de séances n&apos;a pas pu enregistrer le dernier événement. La séance continue; ce qui a été enregistré avant est en sécurité.</translation>
    </message>
    <message>
        <source>The server refused the request. Try again.</source>
        <translation>Le serveur a refusé la demande. Réessayez.</translation>
    </message>
    <message>
        <source>The server is busy, or receives too many connections from this network right now. Wait a few minutes, then try again.</source>
        <translation>Le serveur est occupé ou reçoit trop de connexions de ce réseau en ce moment. Attendez quelques minutes, puis réessayez.</translation>
    </message>
    <message>
        <source>A member&apos;s connection is too weak for a call where everyone sends to everyone, and your organisation&apos;s media server cannot take the room: the call stays member to member. Suggest audio only to members whose picture freezes.</source>
        <translation>La connexion d&apos;un membre est trop faible pour un appel où chacun envoie à tous, et le serveur média de votre organisation ne peut pas prendre la salle : l&apos;appel reste de membre à membre. Proposez l&apos;audio seul aux membres dont l&apos;image fige.</translation>
    </message>
    <message>
        <source>This link works only on this computer: the room is on the server built into GroupDesk, which other computers cannot reach. Use it to rehearse.</source>
        <translation>Ce lien fonctionne seulement sur cet ordinateur : la salle est sur le serveur intégré à GroupDesk, que les autres ordinateurs ne peuvent pas joindre. Servez-vous-en pour vous exercer.</translation>
    </message>
    <message>
        <source>This link is not secure (http): even where other computers can reach it, their browsers will not let participants use their camera or microphone.</source>
        <translation>Ce lien n&apos;est pas sécurisé (http) : même si d&apos;autres ordinateurs peuvent le joindre, leur navigateur ne laissera pas les participants utiliser leur caméra ni leur micro.</translation>
    </message>
    <message>
        <source>For a real session, use your organisation&apos;s server (https): ask your administrator to set its address (policy key “server_url”).</source>
        <translation>Pour une vraie séance, utilisez le serveur de votre organisation (https) : demandez à votre administrateur d&apos;en indiquer l&apos;adresse (clé de politique « server_url »).</translation>
    </message>
    <message>
        <source>About the invite link</source>
        <translation>À propos du lien d&apos;invitation</translation>
    </message>
    <message>
        <source>Your camera could not be opened (another program may be using it): the others see a test picture with your name. Close the other program, then open the room again.</source>
        <translation>Votre caméra n&apos;a pas pu être ouverte (un autre programme l&apos;utilise peut-être) : les autres voient une image d&apos;essai avec votre nom. Fermez l&apos;autre programme, puis ouvrez la salle de nouveau.</translation>
    </message>
    <message>
        <source>Your microphone could not be opened (another program may be using it): the others do not hear you. Use the chat, or close the other program and open the room again.</source>
        <translation>Votre micro n&apos;a pas pu être ouvert (un autre programme l&apos;utilise peut-être) : les autres ne vous entendent pas. Utilisez le clavardage, ou fermez l&apos;autre programme et ouvrez la salle de nouveau.</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <source>Waiting for the facilitator to let you in…</source>
        <translation>En attente de la personne qui anime pour vous faire entrer…</translation>
    </message>
    <message>
        <source>Connection lost: reconnecting…</source>
        <translation>Connexion perdue : reconnexion…</translation>
    </message>
    <message>
        <source>on this computer</source>
        <translation>sur cet ordinateur</translation>
    </message>
    <message>
        <source>on the server</source>
        <translation>sur le serveur</translation>
    </message>
    <message>
        <source>Live, {count} in the room, {where}</source>
        <translation>En direct, {count} dans la salle, {where}</translation>
    </message>
    <message>
        <source>The facilitator asked you to mute: your microphone is off.</source>
        <translation>La personne qui anime vous a demandé de couper le micro : votre micro est coupé.</translation>
    </message>
    <message>
        <source>You are not in the session</source>
        <translation>Vous n&apos;êtes pas dans la séance</translation>
    </message>
    <message>
        <source>You left the session</source>
        <translation>Vous avez quitté la séance</translation>
    </message>
    <message>
        <source>The session is over</source>
        <translation>La séance est terminée</translation>
    </message>
    <message>
        <source>You are in the waiting room. The facilitator will let you in shortly. While you wait, the facilitator may see your camera, without sound; nobody hears you before you are let in.</source>
        <translation>Vous êtes dans la salle d&apos;attente. La personne qui anime vous laissera entrer sous peu. Pendant que vous attendez, elle peut voir votre caméra, sans le son; personne ne vous entend avant votre admission.</translation>
    </message>
    <message>
        <source>From {start} to {end}, one person attended (below; guests are people admitted who are not members of the group). The start, the end and the attendance (who joined and left, and when) are saved in the session log.</source>
        <translation>De {start} à {end}, une personne était présente (ci-dessous; les invités sont des personnes admises qui ne sont pas membres du groupe). Le début, la fin et les présences (qui est entré et sorti, et quand) sont enregistrés dans le journal de séances.</translation>
    </message>
    <message numerus="yes">
        <source>From {start} to {end}, %n people attended (below; guests are people admitted who are not members of the group). The start, the end and the attendance (who joined and left, and when) are saved in the session log.</source>
        <translation>
            <numerusform>De {start} à {end}, %n personne était présente (ci-dessous; les invités sont des personnes admises qui ne sont pas membres du groupe). Le début, la fin et les présences (qui est entré et sorti, et quand) sont enregistrés dans le journal de séances.</numerusform>
            <numerusform>De {start} à {end}, %n personnes étaient présentes (ci-dessous; les invités sont des personnes admises qui ne sont pas membres du groupe). Le début, la fin et les présences (qui est entré et sorti, et quand) sont enregistrés dans le journal de séances.</numerusform>
        </translation>
    </message>
    <message>
        <source>{name}: joined at {joined}, left at {left}</source>
        <translation>{name} : entrée à {joined}, sortie à {left}</translation>
    </message>
    <message>
        <source>Attendance</source>
        <translation>Présences</translation>
    </message>
    <message>
        <source>&amp;End the session…</source>
        <translation>&amp;Terminer la séance…</translation>
    </message>
    <message>
        <source>&amp;Leave the session…</source>
        <translation>&amp;Quitter la séance…</translation>
    </message>
    <message>
        <source>Waiting room ({count})</source>
        <translation>Salle d&apos;attente ({count})</translation>
    </message>
    <message>
        <source>Chat ({count})</source>
        <translation>Clavardage ({count})</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>Partage</translation>
    </message>
    <message>
        <source>&amp;Mute or unmute my microphone</source>
        <translation>Couper ou rétablir mon &amp;micro</translation>
    </message>
    <message>
        <source>Turn my &amp;camera off or on</source>
        <translation>Éteindre ou rallumer ma &amp;caméra</translation>
    </message>
    <message>
        <source>&amp;Raise or lower my hand</source>
        <translation>&amp;Lever ou baisser la main</translation>
    </message>
    <message>
        <source>&amp;Hide or show my own video</source>
        <translation>Masquer ou afficher ma propre &amp;vidéo</translation>
    </message>
    <message>
        <source>Copy the &amp;invite link</source>
        <translation>Copier le lien d&apos;&amp;invitation</translation>
    </message>
    <message>
        <source>&amp;Admit everyone who is ready</source>
        <translation>&amp;Admettre toutes les personnes prêtes</translation>
    </message>
    <message>
        <source>Ask every&amp;one to mute</source>
        <translation>&amp;Demander à tout le monde de couper son micro</translation>
    </message>
    <message>
        <source>&amp;Write in the chat</source>
        <translation>Écri&amp;re dans le clavardage</translation>
    </message>
    <message>
        <source>Show the &amp;safety signals</source>
        <translation>Voir les &amp;signaux de sécurité</translation>
    </message>
    <message>
        <source>Crisis &amp;panel of the chosen member…</source>
        <translation>&amp;Panneau de crise du membre choisi…</translation>
    </message>
    <message>
        <source>Live session</source>
        <translation>Séance en direct</translation>
    </message>
    <message>
        <source>Invite link:</source>
        <translation>Lien d&apos;invitation :</translation>
    </message>
    <message>
        <source>Invite link</source>
        <translation>Lien d&apos;invitation</translation>
    </message>
    <message>
        <source>&amp;Copy the link</source>
        <translation>&amp;Copier le lien</translation>
    </message>
    <message>
        <source>Copy the invite link</source>
        <translation>Copier le lien d&apos;invitation</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>Couper le micro</translation>
    </message>
    <message>
        <source>Mute my microphone</source>
        <translation>Couper mon micro</translation>
    </message>
    <message>
        <source>Turn my camera off</source>
        <translation>Éteindre ma caméra</translation>
    </message>
    <message>
        <source>Raise hand</source>
        <translation>Lever la main</translation>
    </message>
    <message>
        <source>Raise my hand</source>
        <translation>Lever la main</translation>
    </message>
    <message>
        <source>Hide self-view</source>
        <translation>Masquer ma vidéo</translation>
    </message>
    <message>
        <source>Hide my own video</source>
        <translation>Masquer ma propre vidéo</translation>
    </message>
    <message>
        <source>End the session for everyone</source>
        <translation>Terminer la séance pour tout le monde</translation>
    </message>
    <message>
        <source>Invite link copied. It opens on this computer only (to rehearse).</source>
        <translation>Lien d&apos;invitation copié. Il s&apos;ouvre seulement sur cet ordinateur (pour vous exercer).</translation>
    </message>
    <message>
        <source>{name} (guest)</source>
        <translation>{name} (invité)</translation>
    </message>
    <message>
        <source>Nobody attended.</source>
        <translation>Personne n&apos;était présent.</translation>
    </message>
    <message>
        <source>Write the notes now or later (from the session history): a group note and one per member, with the session&apos;s facts ready to cite. They are saved as you type.</source>
        <translation>Rédigez les notes maintenant ou plus tard (à partir de l&apos;historique des séances) : une note de groupe et une par membre, avec les faits de la séance prêts à citer. Elles sont enregistrées à mesure que vous tapez.</translation>
    </message>
    <message>
        <source>Leave</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <source>Turn camera on</source>
        <translation>Allumer la caméra</translation>
    </message>
    <message>
        <source>Turn my camera on</source>
        <translation>Allumer ma caméra</translation>
    </message>
    <message>
        <source>Turn camera off</source>
        <translation>Éteindre la caméra</translation>
    </message>
    <message>
        <source>Waiting room, chat and turns</source>
        <translation>Salle d’attente, clavardage et tours de parole</translation>
    </message>
    <message>
        <source>&amp;Try again</source>
        <translation>&amp;Réessayer</translation>
    </message>
    <message>
        <source>Open the room again</source>
        <translation>Ouvrir la salle de nouveau</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>Re&amp;tour</translation>
    </message>
    <message>
        <source>Back to the previous page</source>
        <translation>Retour à la page précédente</translation>
    </message>
    <message>
        <source>No speaker or headset was found: the others&apos; voices are not played. Plug one in, or use the chat.</source>
        <translation>Aucun haut-parleur ni casque n&apos;a été trouvé : la voix des autres n&apos;est pas entendue. Branchez-en un, ou utilisez le clavardage.</translation>
    </message>
    <message>
        <source>&amp;Write the notes</source>
        <translation>&amp;Rédiger les notes</translation>
    </message>
    <message>
        <source>Write the notes of the session</source>
        <translation>Rédiger les notes de la séance</translation>
    </message>
    <message>
        <source>&amp;Back to the groups</source>
        <translation>Re&amp;tour aux groupes</translation>
    </message>
    <message>
        <source>Back to the groups</source>
        <translation>Retour aux groupes</translation>
    </message>
    <message>
        <source>Video of the members</source>
        <translation>Vidéo des membres</translation>
    </message>
    <message>
        <source>{name} (in the room)</source>
        <translation>{name} (dans la salle)</translation>
    </message>
</context>
<context>
    <name>LiveSafetyView</name>
    <message>
        <source>A participant used the discreet option: see the Safety tab.</source>
        <translation>Une personne a utilisé l&apos;option discrète : voyez l&apos;onglet Sécurité.</translation>
    </message>
    <message>
        <source>{count} participants used the discreet option: see the Safety tab.</source>
        <translation>{count} personnes ont utilisé l&apos;option discrète : voyez l&apos;onglet Sécurité.</translation>
    </message>
    <message>
        <source>Safety ({count})</source>
        <translation>Sécurité ({count})</translation>
    </message>
    <message>
        <source>Safety</source>
        <translation>Sécurité</translation>
    </message>
</context>
<context>
    <name>LiveSecurityCodeView</name>
    <message>
        <source>The code appears once someone else is on the call.</source>
        <translation>Le code apparaît dès qu’une autre personne est dans l’appel.</translation>
    </message>
    <message>
        <source>Security code: {code}</source>
        <translation>Code de sécurité&#xa0;: {code}</translation>
    </message>
    <message numerus="yes">
        <source>Waiting for %n member(s) to connect…</source>
        <translation>
            <numerusform>En attente de la connexion de %n membre…</numerusform>
            <numerusform>En attente de la connexion de %n membres…</numerusform>
        </translation>
    </message>
    <message>
        <source>joined: {names}</source>
        <translation>arrivée&#xa0;: {names}</translation>
    </message>
    <message>
        <source>left: {names}</source>
        <translation>départ&#xa0;: {names}</translation>
    </message>
    <message>
        <source>The code changed because the room changed ({what}). Read it aloud again.</source>
        <translation>Le code a changé parce que la salle a changé ({what}). Lisez-le de nouveau à voix haute.</translation>
    </message>
    <message>
        <source>The code changed. Read it aloud again.</source>
        <translation>Le code a changé. Lisez-le de nouveau à voix haute.</translation>
    </message>
    <message>
        <source>Not end-to-end encrypted</source>
        <translation>Non chiffré de bout en bout</translation>
    </message>
    <message>
        <source>In this room, sound and video pass through your organisation&apos;s media server, which forwards them to each person. They are encrypted between each computer and that server, but the server can read them: the call is not end-to-end encrypted, so there is no security code to compare. End-to-end encryption through the media server will come later.</source>
        <translation>Dans cette salle, le son et l&apos;image passent par le serveur média de votre organisation, qui les transmet à chaque personne. Ils sont chiffrés entre chaque ordinateur et ce serveur, mais le serveur peut les lire : l&apos;appel n&apos;est pas chiffré de bout en bout, il n&apos;y a donc pas de code de sécurité à comparer. Le chiffrement de bout en bout à travers le serveur média viendra plus tard.</translation>
    </message>
    <message>
        <source>Security code</source>
        <translation>Code de sécurité</translation>
    </message>
    <message>
        <source>Read this code aloud: if everyone sees the same code, nobody is in the middle of the call. Each person&apos;s app computes it from the encryption keys of every connection it has. A different code means a connection goes through someone else: stop sharing and tell the others.</source>
        <translation>Lisez ce code à voix haute&#xa0;: si tout le monde voit le même code, personne ne s’est glissé au milieu de l’appel. L’application de chaque personne le calcule à partir des clés de chiffrement de chacune de ses connexions. Un code différent veut dire qu’une connexion passe par quelqu’un d’autre&#xa0;: cessez de partager et prévenez les autres.</translation>
    </message>
</context>
<context>
    <name>LiveTurnsView</name>
    <message>
        <source>Turns</source>
        <translation>Tours de parole</translation>
    </message>
    <message>
        <source>Nobody is in line.</source>
        <translation>Personne n’attend son tour.</translation>
    </message>
    <message>
        <source>Nobody has the floor.</source>
        <translation>Personne n’a la parole.</translation>
    </message>
    <message>
        <source>A round is running: the floor follows it. Skip or stop the round first.</source>
        <translation>Un tour de table est en cours : la parole le suit. Passez la personne ou arrêtez le tour de table d’abord.</translation>
    </message>
    <message>
        <source>No round is running.</source>
        <translation>Aucun tour de table n’est en cours.</translation>
    </message>
    <message>
        <source>There is nobody to take a turn in a round.</source>
        <translation>Personne ne peut prendre part à un tour de table.</translation>
    </message>
    <message>
        <source>That person is no longer in the session.</source>
        <translation>Cette personne n’est plus dans la séance.</translation>
    </message>
    <message>
        <source>That cannot be done right now.</source>
        <translation>Ce n’est pas possible pour le moment.</translation>
    </message>
</context>
<context>
    <name>LobbyEntryView</name>
    <message>
        <source>Agreed on the page to the consent to remote work (recorded when admitted)</source>
        <translation>A accepté sur la page le consentement à la participation à distance (consigné à l&apos;admission)</translation>
    </message>
    <message>
        <source>No consent to remote work on record yet (see Consent… in the group)</source>
        <translation>Aucun consentement à la participation à distance au dossier (voir Consentement… dans le groupe)</translation>
    </message>
    <message>
        <source>No preview</source>
        <translation>Pas d&apos;aperçu</translation>
    </message>
    <message>
        <source>Camera off</source>
        <translation>Caméra éteinte</translation>
    </message>
    <message>
        <source>Preview ended</source>
        <translation>Aperçu terminé</translation>
    </message>
    <message>
        <source>Asking to see {name}…</source>
        <translation>Demande pour voir {name}…</translation>
    </message>
    <message>
        <source>waiting {minutes} min</source>
        <translation>attend depuis {minutes} min</translation>
    </message>
    <message>
        <source>Not a member of the group</source>
        <translation>Pas membre du groupe</translation>
    </message>
    <message>
        <source>Is {name}</source>
        <translation>Est {name}</translation>
    </message>
    <message>
        <source>Who {name} is in the group</source>
        <translation>Qui est {name} dans le groupe</translation>
    </message>
    <message>
        <source>Identity verified</source>
        <translation>Identité vérifiée</translation>
    </message>
    <message>
        <source>Identity of {name} verified</source>
        <translation>Identité de {name} vérifiée</translation>
    </message>
    <message>
        <source>Admit</source>
        <translation>Admettre</translation>
    </message>
    <message>
        <source>Admit {name}</source>
        <translation>Admettre {name}</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>Refuser</translation>
    </message>
    <message>
        <source>Decline {name}</source>
        <translation>Refuser {name}</translation>
    </message>
    <message>
        <source>Camera preview of {name}</source>
        <translation>Aperçu de la caméra de {name}</translation>
    </message>
    <message>
        <source>From {date}: {answers}</source>
        <translation>Du {date} : {answers}</translation>
    </message>
    <message>
        <source>Taken from {date}, confirmed with them: {answers}</source>
        <translation>Repris du {date}, confirmé avec la personne : {answers}</translation>
    </message>
    <message>
        <source>Location: ask again each session</source>
        <translation>Lieu : à redemander à chaque rencontre</translation>
    </message>
    <message>
        <source>Use these (confirmed with them)</source>
        <translation>Reprendre ces réponses (confirmées avec la personne)</translation>
    </message>
    <message>
        <source>Use the answers {name} gave on {date} (confirmed with them)</source>
        <translation>Reprendre les réponses de {name} du {date} (confirmées avec la personne)</translation>
    </message>
</context>
<context>
    <name>LobbyPanel</name>
    <message>
        <source>{name} (missing: {items})</source>
        <translation>{name} (manque : {items})</translation>
    </message>
    <message>
        <source>{name} (not on the list)</source>
        <translation>{name} (pas sur la liste)</translation>
    </message>
    <message>
        <source>Still waiting: {people}</source>
        <translation>Encore en attente : {people}</translation>
    </message>
    <message>
        <source>Waiting room ({count})</source>
        <translation>Salle d&apos;attente ({count})</translation>
    </message>
    <message>
        <source>You see the camera of people waiting, without sound. They see nothing of the group.</source>
        <translation>Vous voyez la caméra des personnes qui attendent, sans le son. Elles ne voient rien du groupe.</translation>
    </message>
    <message>
        <source>Previews of people waiting are turned off by your organisation.</source>
        <translation>Les aperçus des personnes qui attendent sont désactivés par votre organisation.</translation>
    </message>
    <message>
        <source>Previews of people waiting are turned off in your settings.</source>
        <translation>Les aperçus des personnes qui attendent sont désactivés dans vos paramètres.</translation>
    </message>
    <message>
        <source>Nobody is waiting. Share the invite link to let people in.</source>
        <translation>Personne n&apos;attend. Transmettez le lien d&apos;invitation pour faire entrer les participants.</translation>
    </message>
    <message>
        <source>Admit &amp;all</source>
        <translation>&amp;Tout admettre</translation>
    </message>
    <message>
        <source>Admit everyone waiting</source>
        <translation>Admettre toutes les personnes en attente</translation>
    </message>
    <message>
        <source>Knock sound when someone arrives</source>
        <translation>Un son quand quelqu&apos;un cogne à la porte</translation>
    </message>
    <message>
        <source>Waiting room</source>
        <translation>Salle d&apos;attente</translation>
    </message>
</context>
<context>
    <name>LockedPanel</name>
    <message>
        <source>GroupDesk is locked</source>
        <translation>GroupDesk est verrouillé</translation>
    </message>
    <message>
        <source>Your session log was locked so that no one sees it while you are away. Unlock it to return where you were.</source>
        <translation>Votre journal de séances a été verrouillé pour que personne ne le voie pendant votre absence. Déverrouillez-le pour revenir où vous étiez.</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Déverrouiller</translation>
    </message>
    <message>
        <source>Unlock the session log</source>
        <translation>Déverrouiller le journal de séances</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>About GroupDesk</source>
        <translation>À propos de GroupDesk</translation>
    </message>
    <message>
        <source>GroupDesk {version}</source>
        <translation>GroupDesk {version}</translation>
    </message>
    <message>
        <source>Remote groups for social workers, counsellors and peer-support facilitators. Today: groups and members, preparing a session with the facilitator&apos;s checklist, a device check, a lobby where you see and admit people, a confidentiality checklist each participant answers that decides admission (answers kept, identity verified, admitting anyway with a reason), a video grid with chat, speaking turns (hands in order, the floor with a timer, talk time, rounds, co-facilitation), a discreet safety signal that can be withdrawn (followed up in the facilitator&apos;s Safety tab), a crisis panel with a private side room, and an encrypted session log that stays on this computer, with notes after each session (templates with the session&apos;s facts, autosaved, signed, with dated addenda), attendance over time, note search, the record exported to PDF, and auto-lock; usable by keyboard and screen reader, with a test call for participants, a security code to compare aloud, a relay-only privacy option, screen, window and document sharing, larger groups through the organisation&apos;s media server (SFU, not end-to-end encrypted), and installers for administrators (Linux packages and a Windows MSI, with policy templates).

Not there yet: end-to-end encryption in rooms through the media server.</source>
        <translation>Groupes à distance pour les travailleuses et travailleurs sociaux, les conseillères et conseillers et les personnes qui animent des groupes d&apos;entraide. Aujourd&apos;hui : groupes et membres, préparation d&apos;une séance avec la liste de vérification de l&apos;animation, vérification des appareils, salle d&apos;attente où vous voyez et admettez les personnes, une liste de vérification de confidentialité à laquelle chaque participant répond et qui décide de l&apos;admission (réponses conservées, identité vérifiée, admission quand même avec une raison), grille vidéo avec clavardage, tours de parole (mains levées dans l&apos;ordre, la parole avec une minuterie, le temps de parole, les tours de table, la coanimation), un signal de sécurité discret qu&apos;on peut retirer (suivi dans l&apos;onglet Sécurité de l&apos;animation), un panneau de crise avec une salle à part, et un journal de séances chiffré qui reste sur cet ordinateur, avec les notes après chaque séance (gabarits avec les faits de la séance, sauvegarde automatique, signature, addendas datés), les présences au fil des séances, la recherche dans les notes, le dossier exporté en PDF et le verrouillage automatique; utilisable au clavier et avec un lecteur d&apos;écran, avec un appel d&apos;essai pour les participants, un code de sécurité à comparer à voix haute, l&apos;option de confidentialité par relais seulement, le partage d&apos;écran, de fenêtre et de document, les grands groupes par le serveur média de l&apos;organisation (SFU, sans chiffrement de bout en bout) et des installateurs pour les administrateurs (paquets Linux et MSI Windows, avec les gabarits de politique).

Pas encore là : le chiffrement de bout en bout dans les salles qui passent par le serveur média.</translation>
    </message>
    <message>
        <source>&amp;Restore group</source>
        <translation>&amp;Restaurer le groupe</translation>
    </message>
    <message>
        <source>&amp;Archive group</source>
        <translation>&amp;Archiver le groupe</translation>
    </message>
    <message>
        <source>Managed by your organisation: it decides some settings (shown as such in the menus).</source>
        <extracomment>The size the window opens at (and the size of its screenshot).</extracomment>
        <translation>Géré par votre organisation : elle décide de certains réglages (indiqués comme tels dans les menus).</translation>
    </message>
    <message>
        <source>Not managed by an organisation: every setting is yours.</source>
        <translation>Non géré par une organisation : tous les réglages sont les vôtres.</translation>
    </message>
    <message>
        <source>GroupDesk never updates itself and does not check for new versions: they come from your organisation or from the person who installed it.</source>
        <translation>GroupDesk ne se met jamais à jour de lui-même et ne vérifie pas s&apos;il existe de nouvelles versions : elles viennent de votre organisation ou de la personne qui l&apos;a installé.</translation>
    </message>
    <message>
        <source>GroupDesk never updates itself, and notices of new versions are off: your organisation installs them.</source>
        <translation>GroupDesk ne se met jamais à jour de lui-même, et les avis de nouvelles versions sont désactivés : votre organisation les installe.</translation>
    </message>
    <message>
        <source>Groups (home)</source>
        <translation>Groupes (accueil)</translation>
    </message>
    <message>
        <source>Prepare a session</source>
        <translation>Préparer une séance</translation>
    </message>
    <message>
        <source>Camera and microphone</source>
        <translation>Caméra et micro</translation>
    </message>
    <message>
        <source>Live session</source>
        <translation>Séance en direct</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>GroupDesk</source>
        <translation>GroupDesk</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;New group</source>
        <translation>&amp;Nouveau groupe</translation>
    </message>
    <message>
        <source>&amp;Join a session as participant…</source>
        <translation>Se &amp;joindre à une séance comme participant…</translation>
    </message>
    <message>
        <source>&amp;Export session record to PDF…</source>
        <translation>&amp;Exporter le dossier de la séance en PDF…</translation>
    </message>
    <message>
        <source>Export &amp;member&apos;s history to PDF…</source>
        <translation>Exporter l&apos;historique d&apos;un &amp;membre en PDF…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;Group</source>
        <translation>&amp;Groupe</translation>
    </message>
    <message>
        <source>Add &amp;member…</source>
        <translation>Ajouter un &amp;membre…</translation>
    </message>
    <message>
        <source>&amp;Edit group…</source>
        <translation>Mo&amp;difier le groupe…</translation>
    </message>
    <message>
        <source>&amp;Session</source>
        <translation>&amp;Séance</translation>
    </message>
    <message>
        <source>&amp;Prepare a session…</source>
        <translation>&amp;Préparer une séance…</translation>
    </message>
    <message>
        <source>Sa&amp;ve the prepared session</source>
        <translation>Sauve&amp;garder la séance préparée</translation>
    </message>
    <message>
        <source>&amp;Test camera and microphone…</source>
        <translation>&amp;Tester la caméra et le micro…</translation>
    </message>
    <message>
        <source>Play a test &amp;sound</source>
        <translation>Faire jouer un &amp;son d&apos;essai</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>&amp;Retour</translation>
    </message>
    <message>
        <source>Search &amp;notes…</source>
        <translation>Rechercher dans les &amp;notes…</translation>
    </message>
    <message>
        <source>Li&amp;ve</source>
        <translation>En &amp;direct</translation>
    </message>
    <message>
        <source>Menu of the item with the focus</source>
        <translation>Menu de l&apos;élément actif</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <source>&amp;About GroupDesk</source>
        <translation>À &amp;propos de GroupDesk</translation>
    </message>
    <message>
        <source>Your &amp;organisation&apos;s guidelines…</source>
        <translation>Lignes directrices de votre &amp;organisation…</translation>
    </message>
    <message>
        <source>Organisation &amp;policy problems…</source>
        <translation>&amp;Problèmes de la politique de l&apos;organisation…</translation>
    </message>
</context>
<context>
    <name>ManagedSettings</name>
    <message>
        <source>Managed by your organisation</source>
        <translation>Géré par votre organisation</translation>
    </message>
</context>
<context>
    <name>Member</name>
    <message>
        <source>Not specified</source>
        <translation>Non précisée</translation>
    </message>
    <message>
        <source>French</source>
        <translation>Français</translation>
    </message>
    <message>
        <source>English</source>
        <translation>Anglais</translation>
    </message>
    <message>
        <source>In person</source>
        <translation>En personne</translation>
    </message>
    <message>
        <source>Remote</source>
        <translation>À distance</translation>
    </message>
    <message>
        <source>Hybrid</source>
        <translation>Hybride</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>En attente</translation>
    </message>
    <message>
        <source>Given</source>
        <translation>Donné</translation>
    </message>
    <message>
        <source>Withdrawn</source>
        <translation>Retiré</translation>
    </message>
</context>
<context>
    <name>MemberAnswersDialog</name>
    <message>
        <source>{name} is no longer in the room.</source>
        <translation>{name} n&apos;est plus dans la salle.</translation>
    </message>
    <message>
        <source>This app kept no answers of {name} (they answered nothing, or were in the room before this app joined it).</source>
        <translation>Cette application n&apos;a gardé aucune réponse de {name} (la personne n&apos;a rien répondu, ou était dans la salle avant que cette application s&apos;y joigne).</translation>
    </message>
    <message>
        <source>Contact and answers: {name}</source>
        <translation>Coordonnées et réponses : {name}</translation>
    </message>
    <message>
        <source>{name}: contact and answers</source>
        <translation>{name} : coordonnées et réponses</translation>
    </message>
    <message>
        <source>What they answered before admission. Only facilitators see this; use it if the connection drops or a crisis starts.</source>
        <translation>Ce que la personne a répondu avant son admission. Seules les personnes animatrices le voient; servez-vous-en si la connexion coupe ou si une crise survient.</translation>
    </message>
    <message>
        <source>Answers of {name}</source>
        <translation>Réponses de {name}</translation>
    </message>
    <message>
        <source>Identity verified</source>
        <translation>Identité vérifiée</translation>
    </message>
    <message>
        <source>Identity of {name} verified</source>
        <translation>Identité de {name} vérifiée</translation>
    </message>
</context>
<context>
    <name>MemberDialog</name>
    <message>
        <source>Type the name the group knows this person by.</source>
        <extracomment>Languages offered in the member form (stored as these codes).</extracomment>
        <translation>Tapez le nom sous lequel le groupe connaît cette personne.</translation>
    </message>
    <message>
        <source>Not a phone number: type 7 to 15 digits, like 514-555-0100.</source>
        <translation>Ce n&apos;est pas un numéro de téléphone : tapez de 7 à 15 chiffres, comme 514-555-0100.</translation>
    </message>
    <message>
        <source>The member could not be saved.</source>
        <translation>Le membre n&apos;a pas pu être enregistré.</translation>
    </message>
    <message>
        <source>New member</source>
        <translation>Nouveau membre</translation>
    </message>
    <message>
        <source>Edit member</source>
        <translation>Modifier le membre</translation>
    </message>
    <message>
        <source>Only the name is required. The phone number and emergency contact are kept in your encrypted log so that you have them at hand in a crisis.</source>
        <translation>Seul le nom est obligatoire. Le numéro de téléphone et la personne à joindre en cas d&apos;urgence sont gardés dans votre journal chiffré, pour que vous les ayez sous la main en cas de crise.</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom :</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>&amp;Pseudonym:</source>
        <translation>&amp;Pseudonyme :</translation>
    </message>
    <message>
        <source>Pseudonym</source>
        <translation>Pseudonyme</translation>
    </message>
    <message>
        <source>P&amp;hone:</source>
        <translation>&amp;Téléphone :</translation>
    </message>
    <message>
        <source>Phone number</source>
        <translation>Numéro de téléphone</translation>
    </message>
    <message>
        <source>&amp;Emergency contact:</source>
        <translation>Personne à joindre en cas d&apos;&amp;urgence :</translation>
    </message>
    <message>
        <source>Emergency contact</source>
        <translation>Personne à joindre en cas d&apos;urgence</translation>
    </message>
    <message>
        <source>&amp;Region:</source>
        <translation>&amp;Région :</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Région</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Langue :</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>Preferred &amp;modality:</source>
        <translation>&amp;Modalité préférée :</translation>
    </message>
    <message>
        <source>Preferred modality</source>
        <translation>Modalité préférée</translation>
    </message>
    <message>
        <source>&amp;Consent:</source>
        <translation>&amp;Consentement :</translation>
    </message>
    <message>
        <source>Consent to remote work</source>
        <translation>Consentement à l&apos;intervention à distance</translation>
    </message>
    <message>
        <source>First name, or how the group knows them</source>
        <translation>Prénom, ou nom connu du groupe</translation>
    </message>
    <message>
        <source>Shown in the room instead of the name</source>
        <translation>Affiché dans la salle au lieu du nom</translation>
    </message>
    <message>
        <source>For example 514-555-0100</source>
        <translation>Par exemple 514-555-0100</translation>
    </message>
    <message>
        <source>Name and phone of a trusted person</source>
        <translation>Personne de confiance et son numéro</translation>
    </message>
    <message>
        <source>For example Montréal or Bas-Saint-Laurent</source>
        <translation>Par exemple Montréal ou Bas-Saint-Laurent</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Enregistrer</translation>
    </message>
    <message>
        <source>Save the member</source>
        <translation>Enregistrer le membre</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Cancel without saving</source>
        <translation>Annuler sans enregistrer</translation>
    </message>
</context>
<context>
    <name>MembersPanel</name>
    <message>
        <source>{name} (archived)</source>
        <translation>{name} (archivé)</translation>
    </message>
    <message>
        <source>Has not consented to version {version} of the text</source>
        <translation>N&apos;a pas consenti à la version {version} du texte</translation>
    </message>
    <message>
        <source>Not yet consented to remote work (version {version}): {names}</source>
        <translation>N&apos;ont pas encore consenti à la participation à distance (version {version}) : {names}</translation>
    </message>
    <message>
        <source>Restore me&amp;mber</source>
        <translation>Restaurer le me&amp;mbre</translation>
    </message>
    <message>
        <source>Restore the archived member</source>
        <translation>Restaurer le membre archivé</translation>
    </message>
    <message>
        <source>Archive me&amp;mber</source>
        <translation>Archiver le me&amp;mbre</translation>
    </message>
    <message>
        <source>Archive the member</source>
        <translation>Archiver le membre</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Pseudonym</source>
        <translation>Pseudonyme</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Téléphone</translation>
    </message>
    <message>
        <source>Emergency contact</source>
        <translation>En cas d&apos;urgence</translation>
    </message>
    <message>
        <source>Modality</source>
        <translation>Modalité</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>Consentement</translation>
    </message>
    <message>
        <source>Members of the group</source>
        <translation>Membres du groupe</translation>
    </message>
    <message>
        <source>No members yet.
Add the people of this group with Add member ({keys}): their phone and emergency contact stay at hand during sessions.</source>
        <translation>Aucun membre pour l&apos;instant.
Ajoutez les personnes de ce groupe avec Ajouter un membre ({keys}) : leur téléphone et la personne à joindre en cas d&apos;urgence restent sous la main pendant les séances.</translation>
    </message>
    <message>
        <source>Add a member ({keys})</source>
        <translation>Ajouter un membre ({keys})</translation>
    </message>
    <message>
        <source>A&amp;dd member…</source>
        <translation>A&amp;jouter un membre…</translation>
    </message>
    <message>
        <source>Add a member to the group</source>
        <translation>Ajouter un membre au groupe</translation>
    </message>
    <message>
        <source>Ed&amp;it member…</source>
        <translation>Mod&amp;ifier le membre…</translation>
    </message>
    <message>
        <source>Edit the chosen member</source>
        <translation>Modifier le membre choisi</translation>
    </message>
    <message>
        <source>C&amp;onsent…</source>
        <translation>C&amp;onsentement…</translation>
    </message>
    <message>
        <source>Show the consent text to the chosen member and record their consent</source>
        <translation>Montrer le texte du consentement au membre choisi et enregistrer son consentement</translation>
    </message>
</context>
<context>
    <name>NoteEditor</name>
    <message>
        <source>Recovered text not yet kept, from {when}: it is kept now as the note&apos;s latest version.</source>
        <translation>Texte récupéré pas encore conservé, du {when} : il est conservé maintenant comme dernière version de la note.</translation>
    </message>
    <message>
        <source>{when}, {author}: {text}</source>
        <translation>{when}, {author} : {text}</translation>
    </message>
    <message>
        <source>Signed by {name} on {when}. The text is fixed; add addenda below.</source>
        <translation>Signée par {name} le {when}. Le texte est figé; ajoutez des addenda ci-dessous.</translation>
    </message>
    <message>
        <source>{when}: {resource}</source>
        <translation>{when} : {resource}</translation>
    </message>
    <message>
        <source>{line} — {detail}</source>
        <translation>{line} — {detail}</translation>
    </message>
    <message>
        <source>the session log is closed</source>
        <translation>le journal de séances est fermé</translation>
    </message>
    <message>
        <source>Signed: read-only</source>
        <translation>Signée : lecture seule</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Enregistrement…</translation>
    </message>
    <message>
        <source>Not saved: {reason}</source>
        <translation>Non enregistrée : {reason}</translation>
    </message>
    <message>
        <source>Saved {time}</source>
        <translation>Enregistrée à {time}</translation>
    </message>
    <message>
        <source>Version {number}, {when}</source>
        <translation>Version {number}, {when}</translation>
    </message>
</context>
<context>
    <name>NoteSearchDialog</name>
    <message>
        <source>All groups</source>
        <translation>Tous les groupes</translation>
    </message>
    <message>
        <source>All members</source>
        <translation>Tous les membres</translation>
    </message>
    <message>
        <source>session of {date}</source>
        <translation>séance du {date}</translation>
    </message>
    <message>
        <source>written {date}, no session</source>
        <translation>écrite le {date}, sans séance</translation>
    </message>
    <message>
        <source>group note</source>
        <translation>note de groupe</translation>
    </message>
    <message>
        <source>in an addendum</source>
        <translation>dans un addenda</translation>
    </message>
    <message>
        <source>Type a word, or the start of one, to search the notes of every group and their addenda. Accents are optional: “demenagement” also finds “déménagement”.</source>
        <translation>Tapez un mot, ou son début, pour chercher dans les notes de tous les groupes et leurs addendas. Les accents sont facultatifs : « demenagement » trouve aussi « déménagement ».</translation>
    </message>
    <message>
        <source>The “from” date is after the “to” date: change one of them.</source>
        <translation>La date « du » est postérieure à la date « au » : changez l’une des deux.</translation>
    </message>
    <message>
        <source>The search failed: {reason} Your words and filters are kept: press Enter to try again.</source>
        <translation>La recherche a échoué : {reason} Vos mots et vos filtres sont conservés : appuyez sur Entrée pour réessayer.</translation>
    </message>
    <message>
        <source>No note has “{words}” with these filters.</source>
        <translation>Aucune note ne contient « {words} » avec ces filtres.</translation>
    </message>
    <message>
        <source>No note has “{words}”.</source>
        <translation>Aucune note ne contient « {words} ».</translation>
    </message>
    <message>
        <source>The newest {count} notes found are listed: add words or filters to narrow the search.</source>
        <translation>Les {count} notes trouvées les plus récentes sont affichées : ajoutez des mots ou des filtres pour préciser la recherche.</translation>
    </message>
    <message>
        <source>Notes found: {count}, newest first. Press Enter or double-click one to open it at the words found.</source>
        <translation>Notes trouvées : {count}, les plus récentes d’abord. Appuyez sur Entrée ou double-cliquez sur une note pour l’ouvrir aux mots trouvés.</translation>
    </message>
    <message>
        <source>Search notes</source>
        <translation>Rechercher dans les notes</translation>
    </message>
    <message>
        <source>&amp;Words:</source>
        <translation>&amp;Mots :</translation>
    </message>
    <message>
        <source>With or without accents, e.g. demenagement</source>
        <translation>Avec ou sans accents, p. ex. demenagement</translation>
    </message>
    <message>
        <source>Words to find in the notes</source>
        <translation>Mots à trouver dans les notes</translation>
    </message>
    <message>
        <source>&amp;Group:</source>
        <translation>&amp;Groupe :</translation>
    </message>
    <message>
        <source>Group whose notes to search</source>
        <translation>Groupe dont chercher les notes</translation>
    </message>
    <message>
        <source>&amp;Member:</source>
        <translation>M&amp;embre :</translation>
    </message>
    <message>
        <source>Member whose notes to search</source>
        <translation>Membre dont chercher les notes</translation>
    </message>
    <message>
        <source>Dates:</source>
        <translation>Dates :</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>&amp;Du</translation>
    </message>
    <message>
        <source>Only sessions from a date</source>
        <translation>Seulement les séances à partir d’une date</translation>
    </message>
    <message>
        <source>First date of the sessions</source>
        <translation>Première date des séances</translation>
    </message>
    <message>
        <source>&amp;To</source>
        <translation>&amp;Au</translation>
    </message>
    <message>
        <source>Only sessions up to a date</source>
        <translation>Seulement les séances jusqu’à une date</translation>
    </message>
    <message>
        <source>Last date of the sessions</source>
        <translation>Dernière date des séances</translation>
    </message>
    <message>
        <source>Search outcome</source>
        <translation>Résultat de la recherche</translation>
    </message>
    <message>
        <source>Notes found</source>
        <translation>Notes trouvées</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Ouvrir</translation>
    </message>
    <message>
        <source>Open the chosen note at the words found</source>
        <translation>Ouvrir la note choisie aux mots trouvés</translation>
    </message>
</context>
<context>
    <name>NotesPage</name>
    <message>
        <source>Notes — {group}</source>
        <translation>Notes — {group}</translation>
    </message>
    <message>
        <source>one-to-one meeting</source>
        <translation>rencontre individuelle</translation>
    </message>
    <message>
        <source>group session</source>
        <translation>séance de groupe</translation>
    </message>
    <message>
        <source>{date}, {start} to {end} — {kind}</source>
        <translation>{date}, de {start} à {end} — {kind}</translation>
    </message>
    <message>
        <source>Group note</source>
        <translation>Note de groupe</translation>
    </message>
    <message>
        <source>{name} (absent)</source>
        <translation>{name} (absent)</translation>
    </message>
    <message>
        <source>Member {id}</source>
        <translation>Membre {id}</translation>
    </message>
    <message>
        <source>{who} — not started</source>
        <translation>{who} — pas commencée</translation>
    </message>
    <message>
        <source>{who} — signed</source>
        <translation>{who} — signée</translation>
    </message>
    <message>
        <source>That did not work: {reason}</source>
        <translation>Cela n&apos;a pas fonctionné : {reason}</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>&amp;Retour</translation>
    </message>
    <message>
        <source>Back (the note is kept)</source>
        <translation>Retour (la note est conservée)</translation>
    </message>
    <message>
        <source>&amp;Notes of the session</source>
        <translation>&amp;Notes de la séance</translation>
    </message>
    <message>
        <source>Notes of the session</source>
        <translation>Notes de la séance</translation>
    </message>
</context>
<context>
    <name>PassphrasePanel</name>
    <message>
        <source>Your session log is locked</source>
        <translation>Votre journal de séances est verrouillé</translation>
    </message>
    <message>
        <source>Type your passphrase to open it.</source>
        <translation>Tapez votre phrase de passe pour l&apos;ouvrir.</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>&amp;Phrase de passe :</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Phrase de passe</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Déverrouiller</translation>
    </message>
    <message>
        <source>Unlock the session log</source>
        <translation>Déverrouiller le journal de séances</translation>
    </message>
    <message>
        <source>I forgot it: use my &amp;recovery key</source>
        <translation>Je l&apos;ai oubliée : utiliser ma clé de &amp;récupération</translation>
    </message>
    <message>
        <source>Use my recovery key</source>
        <translation>Utiliser ma clé de récupération</translation>
    </message>
</context>
<context>
    <name>PolicyProblemsDialog</name>
    <message>
        <source>(none)</source>
        <translation>(aucune)</translation>
    </message>
    <message>
        <source>Problem {number} of {count}</source>
        <translation>Problème {number} sur {count}</translation>
    </message>
    <message>
        <source>File: {file}</source>
        <translation>Fichier : {file}</translation>
    </message>
    <message>
        <source>Key: {key}</source>
        <translation>Clé : {key}</translation>
    </message>
    <message>
        <source>Reason: {reason}</source>
        <translation>Raison : {reason}</translation>
    </message>
    <message>
        <source>Copied. Paste it in a message to your administrator.</source>
        <translation>Copiée. Collez-la dans un message à votre administrateur ou administratrice.</translation>
    </message>
    <message>
        <source>Organisation policy problems</source>
        <translation>Problèmes de la politique de l&apos;organisation</translation>
    </message>
    <message>
        <source>Your organisation&apos;s policy has problems: what is listed below is not applied as written; GroupDesk applies the rest. Only your administrator can fix these files: copy the list and send it to them.</source>
        <translation>La politique de votre organisation a des problèmes : ce qui est listé ci-dessous n&apos;est pas appliqué tel qu&apos;écrit; GroupDesk applique le reste. Seul votre administrateur ou administratrice peut corriger ces fichiers : copiez la liste et envoyez-la-lui.</translation>
    </message>
    <message>
        <source>List of the problems</source>
        <translation>Liste des problèmes</translation>
    </message>
    <message>
        <source>&amp;Copy the list</source>
        <translation>&amp;Copier la liste</translation>
    </message>
</context>
<context>
    <name>PolicyProblemsNotice</name>
    <message>
        <source>No problem in your organisation&apos;s policy</source>
        <translation>Aucun problème dans la politique de votre organisation</translation>
    </message>
    <message>
        <source>1 problem in your organisation&apos;s policy</source>
        <translation>1 problème dans la politique de votre organisation</translation>
    </message>
    <message>
        <source>{count} problems in your organisation&apos;s policy</source>
        <translation>{count} problèmes dans la politique de votre organisation</translation>
    </message>
    <message>
        <source>Show the list, to send it to your administrator</source>
        <translation>Afficher la liste, pour l&apos;envoyer à votre administrateur ou administratrice</translation>
    </message>
</context>
<context>
    <name>PreparePage</name>
    <message>
        <source>Check every item of the checklist before you open the room.</source>
        <translation>Cochez tous les points de la liste avant d&apos;ouvrir la salle.</translation>
    </message>
    <message>
        <source>Type your name: it is recorded with the session.</source>
        <translation>Tapez votre nom : il est consigné avec la séance.</translation>
    </message>
    <message>
        <source>This name is too long.</source>
        <translation>Ce nom est trop long.</translation>
    </message>
    <message>
        <source>The co-facilitator is another person: leave it empty if you are alone.</source>
        <translation>La coanimation est assurée par une autre personne : laissez ce champ vide si vous animez seul ou seule.</translation>
    </message>
    <message>
        <source>The session ends before it starts: choose an end after the start.</source>
        <translation>La séance se termine avant de commencer : choisissez une fin après le début.</translation>
    </message>
    <message>
        <source>Your organisation plans sessions of {minutes} minutes at most: choose an earlier end.</source>
        <translation>Votre organisation prévoit des séances de {minutes} minutes au plus : choisissez une fin plus tôt.</translation>
    </message>
    <message>
        <source>Create a group first: a session is always for a group.</source>
        <translation>Créez d&apos;abord un groupe : une séance est toujours celle d&apos;un groupe.</translation>
    </message>
    <message>
        <source>Choose remote or hybrid.</source>
        <translation>Choisissez à distance ou hybride.</translation>
    </message>
    <message>
        <source>The session could not be prepared.</source>
        <translation>La séance n&apos;a pas pu être préparée.</translation>
    </message>
    <message>
        <source>Session prepared for {date}, {start} to {end}: saved in your log and listed with the group&apos;s sessions.</source>
        <translation>Séance préparée pour le {date}, de {start} à {end} : enregistrée dans votre journal et affichée avec les séances du groupe.</translation>
    </message>
    <message>
        <source>Session prepared from {date}, {start} to {end_date}, {end}: saved in your log and listed with the group&apos;s sessions.</source>
        <translation>Séance préparée du {date}, {start}, au {end_date}, {end} : enregistrée dans votre journal et affichée avec les séances du groupe.</translation>
    </message>
    <message>
        <source>Expected: {count}</source>
        <translation>Attendus : {count}</translation>
    </message>
    <message>
        <source>{count} people are expected, more than the {max} your organisation recommends for a remote group. Turns and non-verbal cues are harder to follow online: consider splitting the group or planning a co-facilitator.</source>
        <translation>{count} personnes sont attendues, plus que les {max} recommandées par votre organisation pour un groupe à distance. Les tours de parole et le non-verbal sont plus difficiles à suivre en ligne : pensez à diviser le groupe ou à prévoir une coanimation.</translation>
    </message>
    <message>
        <source>← &amp;Back</source>
        <translation>← &amp;Retour</translation>
    </message>
    <message>
        <source>Back to the groups</source>
        <translation>Retour aux groupes</translation>
    </message>
    <message>
        <source>Back (Alt+Left)</source>
        <translation>Retour (Alt+Gauche)</translation>
    </message>
    <message>
        <source>Prepare a session</source>
        <translation>Préparer une séance</translation>
    </message>
    <message>
        <source>Mo&amp;dality:</source>
        <translation>&amp;Modalité :</translation>
    </message>
    <message>
        <source>Fa&amp;cilitator:</source>
        <translation>Animat&amp;ion :</translation>
    </message>
    <message>
        <source>Test ca&amp;mera and microphone…</source>
        <translation>Tester la &amp;caméra et le micro…</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Groupe</translation>
    </message>
    <message>
        <source>Modality of the session</source>
        <translation>Modalité de la séance</translation>
    </message>
    <message>
        <source>Facilitator</source>
        <translation>Personne qui anime</translation>
    </message>
    <message>
        <source>Co-facilitator</source>
        <translation>Personne qui coanime</translation>
    </message>
    <message>
        <source>Co-f&amp;acilitator:</source>
        <translation>Coanima&amp;tion :</translation>
    </message>
    <message>
        <source>Start time</source>
        <translation>Heure de début</translation>
    </message>
    <message>
        <source>End time</source>
        <translation>Heure de fin</translation>
    </message>
    <message>
        <source>E&amp;xpected:</source>
        <translation>Att&amp;endus :</translation>
    </message>
    <message>
        <source>Start date</source>
        <translation>Date de début</translation>
    </message>
    <message>
        <source>S&amp;tart:</source>
        <translation>Dé&amp;but :</translation>
    </message>
    <message>
        <source>&amp;End:</source>
        <translation>Fi&amp;n :</translation>
    </message>
    <message>
        <source>End date</source>
        <translation>Date de fin</translation>
    </message>
    <message>
        <source>Expected members</source>
        <translation>Membres attendus</translation>
    </message>
    <message>
        <source>Remote</source>
        <translation>À distance</translation>
    </message>
    <message>
        <source>Hybrid (a room and remote participants)</source>
        <translation>Hybride (une salle et des participants à distance)</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>Facultatif</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Votre nom</translation>
    </message>
    <message>
        <source>Ever&amp;yone</source>
        <translation>Tout le mon&amp;de</translation>
    </message>
    <message>
        <source>Expect every member</source>
        <translation>Attendre tous les membres</translation>
    </message>
    <message>
        <source>Test camera, microphone and speaker</source>
        <translation>Tester la caméra, le micro et le haut-parleur</translation>
    </message>
    <message>
        <source>Test your devices (Ctrl+D)</source>
        <translation>Tester vos appareils (Ctrl+D)</translation>
    </message>
    <message>
        <source>&amp;Prepare session</source>
        <translation>&amp;Préparer la séance</translation>
    </message>
    <message>
        <source>Prepare the session</source>
        <translation>Préparer la séance</translation>
    </message>
    <message>
        <source>Prepare the session (Ctrl+Enter)</source>
        <translation>Préparer la séance (Ctrl+Entrée)</translation>
    </message>
    <message>
        <source>&amp;Open the room</source>
        <translation>&amp;Ouvrir la salle</translation>
    </message>
    <message>
        <source>Open the room</source>
        <translation>Ouvrir la salle</translation>
    </message>
    <message>
        <source>Opening the room from GroupDesk is not available in this version yet; the prepared session is kept in your log.</source>
        <translation>L&apos;ouverture de la salle depuis GroupDesk n&apos;est pas encore offerte dans cette version; la séance préparée est gardée dans votre journal.</translation>
    </message>
    <message>
        <source>Type of sess&amp;ion:</source>
        <translation>T&amp;ype de séance :</translation>
    </message>
    <message>
        <source>G&amp;roup:</source>
        <translation>Gro&amp;upe :</translation>
    </message>
    <message>
        <source>Type of session</source>
        <translation>Type de séance</translation>
    </message>
</context>
<context>
    <name>QuitQuestion</name>
    <message>
        <source>End the session and quit</source>
        <translation>Terminer la séance et quitter</translation>
    </message>
    <message>
        <source>End the session for everyone and quit?</source>
        <translation>Terminer la séance pour tout le monde et quitter?</translation>
    </message>
    <message>
        <source>People connected: {count}. If you quit now, the session ends for all of them and they leave the room; the attendance is saved in the session log.</source>
        <translation>Personnes connectées : {count}. Si vous quittez maintenant, la séance se termine pour toutes ces personnes et elles quittent la salle; les présences sont enregistrées dans le journal de séances.</translation>
    </message>
    <message>
        <source>Waiting in the waiting room: {count}. They will not be admitted.</source>
        <translation>En salle d&apos;attente : {count}. Ces personnes ne seront pas admises.</translation>
    </message>
    <message>
        <source>&amp;End for everyone and quit</source>
        <translation>&amp;Terminer pour tout le monde et quitter</translation>
    </message>
    <message>
        <source>Leave the session and quit</source>
        <translation>Quitter la séance et l&apos;application</translation>
    </message>
    <message>
        <source>Leave the session and quit?</source>
        <translation>Quitter la séance et l&apos;application?</translation>
    </message>
    <message>
        <source>You are in the waiting room. If you quit now, you leave it; the facilitator will not be able to let you in.</source>
        <translation>Vous êtes en salle d&apos;attente. Si vous quittez maintenant, vous en sortez; la personne qui anime ne pourra pas vous faire entrer.</translation>
    </message>
    <message>
        <source>People connected: {count}. If you quit now, you leave the group&apos;s session; the others go on without you.</source>
        <translation>Personnes connectées : {count}. Si vous quittez maintenant, vous quittez la séance du groupe; les autres continuent sans vous.</translation>
    </message>
    <message>
        <source>&amp;Leave and quit</source>
        <translation>&amp;Quitter la séance et l&apos;application</translation>
    </message>
    <message>
        <source>&amp;Stay in the session</source>
        <translation>&amp;Rester dans la séance</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyPanel</name>
    <message>
        <source>Write down your recovery key</source>
        <translation>Notez votre clé de récupération</translation>
    </message>
    <message>
        <source>Your session log is ready. If the key is ever lost (a new computer, a forgotten passphrase, a reset keyring), this recovery key is the only way to open the log again.</source>
        <translation>Votre journal de séances est prêt. Si la clé est un jour perdue (nouvel ordinateur, phrase de passe oubliée, trousseau réinitialisé), cette clé de récupération est le seul moyen de rouvrir le journal.</translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation>Clé de récupération</translation>
    </message>
    <message>
        <source>It is shown only this once. Write it on paper and keep it somewhere safe, away from this computer. Do not save it in a file or an email.</source>
        <translation>Elle n&apos;est affichée que cette fois-ci. Notez-la sur papier et gardez-la en lieu sûr, loin de cet ordinateur. Ne l&apos;enregistrez pas dans un fichier ni dans un courriel.</translation>
    </message>
    <message>
        <source>I have &amp;written down my recovery key</source>
        <translation>J&apos;ai &amp;noté ma clé de récupération</translation>
    </message>
    <message>
        <source>I have written down my recovery key</source>
        <translation>J&apos;ai noté ma clé de récupération</translation>
    </message>
    <message>
        <source>C&amp;ontinue</source>
        <translation>&amp;Continuer</translation>
    </message>
    <message>
        <source>Continue to my session log</source>
        <translation>Continuer vers mon journal de séances</translation>
    </message>
</context>
<context>
    <name>RecoveryPanel</name>
    <message>
        <source>The two passphrases are different. Type the same passphrase twice.</source>
        <translation>Les deux phrases de passe sont différentes. Tapez deux fois la même phrase de passe.</translation>
    </message>
    <message>
        <source>Open the log with your recovery key</source>
        <translation>Ouvrir le journal avec votre clé de récupération</translation>
    </message>
    <message>
        <source>Type the recovery key you wrote down when you created the log. Spaces, dashes and capitals do not matter.</source>
        <translation>Tapez la clé de récupération notée à la création du journal. Les espaces, les tirets et les majuscules n&apos;ont pas d&apos;importance.</translation>
    </message>
    <message>
        <source>&amp;Recovery key:</source>
        <translation>Clé de &amp;récupération :</translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation>Clé de récupération</translation>
    </message>
    <message>
        <source>This computer has no keyring GroupDesk can use: choose a new passphrase to protect the log from now on.</source>
        <translation>Cet ordinateur n&apos;a pas de trousseau que GroupDesk peut utiliser : choisissez une nouvelle phrase de passe pour protéger le journal désormais.</translation>
    </message>
    <message>
        <source>New &amp;passphrase:</source>
        <translation>Nouvelle &amp;phrase de passe :</translation>
    </message>
    <message>
        <source>New passphrase</source>
        <translation>Nouvelle phrase de passe</translation>
    </message>
    <message>
        <source>&amp;Type it again:</source>
        <translation>&amp;Tapez-la de nouveau :</translation>
    </message>
    <message>
        <source>New passphrase again</source>
        <translation>Nouvelle phrase de passe, de nouveau</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>Re&amp;tour</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Retour</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Déverrouiller</translation>
    </message>
    <message>
        <source>Unlock with the recovery key</source>
        <translation>Déverrouiller avec la clé de récupération</translation>
    </message>
</context>
<context>
    <name>ReferralDialog</name>
    <message>
        <source>Refer to a resource</source>
        <translation>Orienter vers une ressource</translation>
    </message>
    <message>
        <source>&amp;Search the resources:</source>
        <translation>&amp;Chercher dans les ressources :</translation>
    </message>
    <message>
        <source>Search the resources</source>
        <translation>Chercher dans les ressources</translation>
    </message>
    <message>
        <source>Name, number or region</source>
        <translation>Nom, numéro ou région</translation>
    </message>
    <message>
        <source>Resources</source>
        <translation>Ressources</translation>
    </message>
    <message>
        <source>No resource matches.</source>
        <translation>Aucune ressource ne correspond.</translation>
    </message>
    <message>
        <source>&amp;Detail (optional):</source>
        <translation>&amp;Précision (facultatif) :</translation>
    </message>
    <message>
        <source>Detail of the referral</source>
        <translation>Précision sur l&apos;orientation</translation>
    </message>
    <message>
        <source>Refer</source>
        <translation>Orienter</translation>
    </message>
    <message>
        <source>text {number}</source>
        <translation>texto au {number}</translation>
    </message>
    <message>
        <source>{name} — {number} — {region}</source>
        <translation>{name} — {number} — {region}</translation>
    </message>
</context>
<context>
    <name>RelayMissingNotice</name>
    <message>
        <source>Audio and video cannot connect: your organisation&apos;s policy allows connections through a relay server only (so that members never see each other&apos;s address), and the signalling server offers none. Ask your administrator to set up TURN (groupdesk-server --turn). The chat works.</source>
        <translation>Le son et l&apos;image ne peuvent pas s&apos;établir : la politique de votre organisation n&apos;autorise que les connexions par un serveur relais (pour que personne ne voie l&apos;adresse des autres), et le serveur de signalisation n&apos;en offre aucun. Demandez à votre administrateur ou administratrice de configurer TURN (groupdesk-server --turn). Le clavardage fonctionne.</translation>
    </message>
    <message>
        <source>Audio and video cannot connect: this group connects only through the organisation&apos;s relay server, and none is set up. The chat still works.</source>
        <translation>Le son et l&apos;image ne peuvent pas s&apos;établir : ce groupe se connecte seulement par le serveur relais de l&apos;organisation, et aucun n&apos;est configuré. Le clavardage fonctionne toujours.</translation>
    </message>
</context>
<context>
    <name>RoundBox</name>
    <message>
        <source>Round</source>
        <translation>Tour de table</translation>
    </message>
    <message>
        <source>Order:</source>
        <translation>Ordre :</translation>
    </message>
    <message>
        <source>Order of the round</source>
        <translation>Ordre du tour de table</translation>
    </message>
    <message>
        <source>Current order</source>
        <translation>Ordre actuel</translation>
    </message>
    <message>
        <source>Random order</source>
        <translation>Ordre aléatoire</translation>
    </message>
    <message>
        <source>Quieter members first</source>
        <translation>Les plus discrets d&apos;abord</translation>
    </message>
    <message>
        <source>Start a round</source>
        <translation>Lancer un tour de table</translation>
    </message>
    <message>
        <source>Start a round in the order chosen</source>
        <translation>Lancer un tour de table dans l&apos;ordre choisi</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Sauter</translation>
    </message>
    <message>
        <source>Stop the round</source>
        <translation>Arrêter le tour de table</translation>
    </message>
    <message>
        <source>Round in {order}: {done} of {total} done.</source>
        <translation>Tour de table ({order}) : {done} sur {total} faits.</translation>
    </message>
    <message>
        <source>Now: {name}</source>
        <translation>Maintenant : {name}</translation>
    </message>
    <message>
        <source>Next: {name}</source>
        <translation>Ensuite : {name}</translation>
    </message>
    <message>
        <source>Next: nobody, this is the last turn.</source>
        <translation>Ensuite : personne, c&apos;est le dernier tour.</translation>
    </message>
    <message>
        <source>{name} ({outcome})</source>
        <translation>{name} ({outcome})</translation>
    </message>
    <message>
        <source>Done: {names}</source>
        <translation>Faits : {names}</translation>
    </message>
    <message>
        <source>Done: nobody yet.</source>
        <translation>Faits : personne pour l&apos;instant.</translation>
    </message>
    <message>
        <source>Skip {name} in the round</source>
        <translation>Sauter le tour de {name}</translation>
    </message>
    <message>
        <source>Skip in the round</source>
        <translation>Sauter ce tour</translation>
    </message>
    <message>
        <source>the current order</source>
        <translation>ordre actuel</translation>
    </message>
    <message>
        <source>a random order</source>
        <translation>ordre aléatoire</translation>
    </message>
    <message>
        <source>quieter members first</source>
        <translation>les plus discrets d&apos;abord</translation>
    </message>
    <message>
        <source>spoke</source>
        <translation>a parlé</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>a passé</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>tour sauté</translation>
    </message>
</context>
<context>
    <name>RulesButton</name>
    <message>
        <source>Group &amp;rules</source>
        <translation>Règles d&amp;u groupe</translation>
    </message>
    <message>
        <source>Show the group rules</source>
        <translation>Afficher les règles du groupe</translation>
    </message>
    <message>
        <source>What the group agreed on: confidentiality, respect, turns</source>
        <translation>Ce que le groupe a convenu : confidentialité, respect, tours de parole</translation>
    </message>
</context>
<context>
    <name>RulesDialog</name>
    <message>
        <source>Group rules</source>
        <translation>Règles du groupe</translation>
    </message>
    <message>
        <source>Text of the group rules</source>
        <translation>Texte des règles du groupe</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Close the group rules</source>
        <translation>Fermer les règles du groupe</translation>
    </message>
</context>
<context>
    <name>SafetyPanel</name>
    <message>
        <source>someone</source>
        <translation>quelqu&apos;un</translation>
    </message>
    <message>
        <source>A participant who cannot talk freely can choose the discreet option “{option}” on their screen: it reads as an ordinary connection option, and only facilitators are told. It stays here until you mark it handled.</source>
        <translation>Une personne qui ne peut pas parler librement peut choisir l&apos;option discrète « {option} » sur son écran : elle ressemble à une option de connexion ordinaire, et seule l&apos;animation en est avisée. Le signal reste ici jusqu&apos;à ce que vous le marquiez comme traité.</translation>
    </message>
    <message>
        <source>No signal to follow up.</source>
        <translation>Aucun signal à suivre.</translation>
    </message>
    <message>
        <source>Suggested next steps</source>
        <translation>Prochaines étapes suggérées</translation>
    </message>
    <message>
        <source>• Write to them privately in the chat (someone may be near them).
• Offer to call them back later by phone, at a time that suits them.
• Do not ask about it aloud in the group.</source>
        <translation>• Écrivez-lui en privé dans le clavardage (quelqu&apos;un est peut-être près d&apos;elle).
• Proposez de la rappeler plus tard par téléphone, au moment qui lui convient.
• N&apos;en parlez pas à voix haute devant le groupe.</translation>
    </message>
</context>
<context>
    <name>SafetyRow</name>
    <message>
        <source>{name} (left the room)</source>
        <translation>{name} (a quitté la salle)</translation>
    </message>
    <message>
        <source>Sent at {time}</source>
        <translation>Envoyé à {time}</translation>
    </message>
    <message>
        <source>withdrawn at {time}, still to follow up</source>
        <translation>retiré à {time}, suivi à faire</translation>
    </message>
    <message>
        <source>new</source>
        <translation>nouveau</translation>
    </message>
    <message>
        <source>Write privately</source>
        <translation>Écrire en privé</translation>
    </message>
    <message>
        <source>Write privately to {name} in the chat</source>
        <translation>Écrire en privé à {name} dans le clavardage</translation>
    </message>
    <message>
        <source>Mark as handled</source>
        <translation>Marquer comme traité</translation>
    </message>
    <message>
        <source>Mark the signal of {name} as handled</source>
        <translation>Marquer le signal de {name} comme traité</translation>
    </message>
</context>
<context>
    <name>Screenshot</name>
    <message>
        <source>Screenshot of the window saved to {path}</source>
        <extracomment>How long the first page may take to appear (key derivation, integrity check). Messages about the machine, not about GroupDesk: the offscreen platform has no window manager to pass size hints to; Qt Multimedia looks for optional libraries (VA-API, PipeWire) and an audio server that a headless box does not have.</extracomment>
        <translation>Capture d&apos;écran de la fenêtre enregistrée dans {path}</translation>
    </message>
    <message>
        <source>Could not save the screenshot to {path}: {reason}</source>
        <translation>Impossible d&apos;enregistrer la capture d&apos;écran dans {path} : {reason}</translation>
    </message>
</context>
<context>
    <name>SessionKindChoice</name>
    <message>
        <source>A one-to-one meeting is with one member: check exactly one ({count} checked now), or choose a group session.</source>
        <translation>Une rencontre individuelle se fait avec une seule personne : cochez-en exactement une ({count} cochées maintenant), ou choisissez une séance de groupe.</translation>
    </message>
    <message>
        <source>Group session</source>
        <translation>Séance de groupe</translation>
    </message>
    <message>
        <source>One-to-one meeting (before the group)</source>
        <translation>Rencontre individuelle (avant le groupe)</translation>
    </message>
    <message>
        <source>Type of session</source>
        <translation>Type de séance</translation>
    </message>
</context>
<context>
    <name>SharePanel</name>
    <message>
        <source>Share a document</source>
        <translation>Partager un document</translation>
    </message>
    <message>
        <source>Documents (*.pdf {images})</source>
        <translation>Documents (*.pdf {images})</translation>
    </message>
    <message>
        <source>Page {page} of {count}</source>
        <translation>Page {page} sur {count}</translation>
    </message>
    <message>
        <source>You are sharing your screen with everyone.</source>
        <translation>Vous partagez votre écran avec tout le monde.</translation>
    </message>
    <message>
        <source>You are sharing a window with everyone.</source>
        <translation>Vous partagez une fenêtre avec tout le monde.</translation>
    </message>
    <message>
        <source>You are sharing a document with everyone.</source>
        <translation>Vous partagez un document avec tout le monde.</translation>
    </message>
    <message>
        <source>The facilitator has not asked you to share your screen.</source>
        <translation>La personne qui anime ne vous a pas invité à partager votre écran.</translation>
    </message>
    <message>
        <source>Nothing is shared. Everyone sees what you share, large.</source>
        <translation>Rien n&apos;est partagé. Tout le monde voit en grand ce que vous partagez.</translation>
    </message>
    <message>
        <source>Sharing a screen or a window is not available on this system.</source>
        <translation>Le partage d&apos;un écran ou d&apos;une fenêtre n&apos;est pas offert sur ce système.</translation>
    </message>
    <message>
        <source>This document cannot be shared: it is not a PDF or an image that can be read.</source>
        <translation>Ce document ne peut pas être partagé : ce n&apos;est pas un PDF ni une image lisible.</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>Partage</translation>
    </message>
    <message>
        <source>Share my screen</source>
        <translation>Partager mon écran</translation>
    </message>
    <message>
        <source>Share a window</source>
        <translation>Partager une fenêtre</translation>
    </message>
    <message>
        <source>Share a document…</source>
        <translation>Partager un document…</translation>
    </message>
    <message>
        <source>Not available on this system</source>
        <translation>Non offert sur ce système</translation>
    </message>
    <message>
        <source>Stop sharing</source>
        <translation>Arrêter le partage</translation>
    </message>
    <message>
        <source>Previous page</source>
        <translation>Page précédente</translation>
    </message>
    <message>
        <source>Next page</source>
        <translation>Page suivante</translation>
    </message>
    <message>
        <source>Participants who may share their screen</source>
        <translation>Personnes participantes qui peuvent partager leur écran</translation>
    </message>
</context>
<context>
    <name>ShareView</name>
    <message>
        <source>You are sharing your screen</source>
        <translation>Vous partagez votre écran</translation>
    </message>
    <message>
        <source>You are sharing a window</source>
        <translation>Vous partagez une fenêtre</translation>
    </message>
    <message>
        <source>You are sharing a document</source>
        <translation>Vous partagez un document</translation>
    </message>
    <message>
        <source>Someone</source>
        <translation>Quelqu&apos;un</translation>
    </message>
    <message>
        <source>{name} is sharing a screen</source>
        <translation>{name} partage un écran</translation>
    </message>
    <message>
        <source>{name} is sharing a window</source>
        <translation>{name} partage une fenêtre</translation>
    </message>
    <message>
        <source>{name} is sharing a document</source>
        <translation>{name} partage un document</translation>
    </message>
</context>
<context>
    <name>ShortcutsHelp</name>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Raccourcis clavier</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
</context>
<context>
    <name>ShortcutsSheet</name>
    <message>
        <source>Every screen</source>
        <extracomment>A screen of the window: its page and the words naming it.</extracomment>
        <translation>Tous les écrans</translation>
    </message>
    <message>
        <source>Dialogs</source>
        <translation>Boîtes de dialogue</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <source>These keys work in GroupDesk. Escape closes this list.</source>
        <translation>Ces touches fonctionnent dans GroupDesk. Échap ferme cette liste.</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Commande</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Touches</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
</context>
<context>
    <name>SideRoomNotice</name>
    <message>
        <source>You are in a private conversation with the facilitator.</source>
        <translation>Vous êtes en conversation privée avec la personne qui anime.</translation>
    </message>
    <message>
        <source>Short pause: the facilitator is away for a moment.</source>
        <translation>Courte pause : la personne qui anime s&apos;absente un moment.</translation>
    </message>
    <message>
        <source>Short pause: {name} is with the facilitator for a moment.</source>
        <translation>Courte pause : {name} est avec la personne qui anime pour un moment.</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <source>Sign the note</source>
        <translation>Signer la note</translation>
    </message>
    <message>
        <source>Once signed, the note&apos;s text is fixed: it can no longer be changed. What you add later goes in dated addenda, under the original text.</source>
        <translation>Une fois la note signée, son texte est figé : il ne peut plus être modifié. Ce que vous ajouterez ensuite ira dans des addenda datés, sous le texte original.</translation>
    </message>
    <message>
        <source>Signed &amp;by:</source>
        <translation>Signée &amp;par :</translation>
    </message>
    <message>
        <source>Name of the person who signs</source>
        <translation>Nom de la personne qui signe</translation>
    </message>
    <message>
        <source>Sign and fix the text</source>
        <translation>Signer et figer le texte</translation>
    </message>
</context>
<context>
    <name>StartView</name>
    <message>
        <source>&amp;Template:</source>
        <translation>&amp;Modèle :</translation>
    </message>
    <message>
        <source>Template of the note</source>
        <translation>Modèle de la note</translation>
    </message>
    <message>
        <source>Start the n&amp;ote</source>
        <translation>C&amp;ommencer la note</translation>
    </message>
    <message>
        <source>Start the note from this template</source>
        <translation>Commencer la note à partir de ce modèle</translation>
    </message>
    <message>
        <source>The note starts with the template&apos;s headings and the facts of the session; you write from there. It is saved as you type.</source>
        <translation>La note commence par les intertitres du modèle et les faits de la séance; vous rédigez à partir de là. Elle est enregistrée à mesure que vous tapez.</translation>
    </message>
</context>
<context>
    <name>TalkTimeBox</name>
    <message>
        <source>Talk time (only facilitators see it)</source>
        <translation>Temps de parole (seule l&apos;animation le voit)</translation>
    </message>
    <message>
        <source>Nobody is in the room.</source>
        <translation>Personne n&apos;est dans la salle.</translation>
    </message>
    <message>
        <source>Fair share: {percent}% each, {count} present.</source>
        <translation>Part équitable : {percent} % par personne, {count} présentes.</translation>
    </message>
    <message>
        <source>Not yet spoken: {names}</source>
        <translation>N&apos;ont pas encore parlé : {names}</translation>
    </message>
    <message>
        <source>Everyone present has spoken.</source>
        <translation>Toutes les personnes présentes ont parlé.</translation>
    </message>
    <message>
        <source>speaking</source>
        <translation>parle</translation>
    </message>
    <message>
        <source>muted</source>
        <translation>micro coupé</translation>
    </message>
    <message>
        <source>turns: {count}</source>
        <translation>tours : {count}</translation>
    </message>
    <message>
        <source>nobody has spoken yet</source>
        <translation>personne n&apos;a encore parlé</translation>
    </message>
    <message>
        <source>{time} · {percent}%</source>
        <translation>{time} · {percent} %</translation>
    </message>
    <message>
        <source>{percent}% of the talk time</source>
        <translation>{percent} % du temps de parole</translation>
    </message>
    <message>
        <source>{name}: {time}, {share}, {states}</source>
        <translation>{name} : {time}, {share}, {states}</translation>
    </message>
    <message>
        <source>not measured yet</source>
        <translation>pas encore mesuré</translation>
    </message>
    <message>
        <source>above the fair share</source>
        <translation>au-dessus de la part équitable</translation>
    </message>
    <message>
        <source>below the fair share</source>
        <translation>sous la part équitable</translation>
    </message>
    <message>
        <source>near the fair share</source>
        <translation>près de la part équitable</translation>
    </message>
</context>
<context>
    <name>TurnTexts</name>
    <message>
        <source>{elapsed} (no limit)</source>
        <translation>{elapsed} (sans limite)</translation>
    </message>
    <message>
        <source>{elapsed} of {limit}: time is up</source>
        <translation>{elapsed} sur {limit} : le temps est écoulé</translation>
    </message>
    <message>
        <source>{elapsed} of {limit}: {left} left</source>
        <translation>{elapsed} sur {limit} : il reste {left}</translation>
    </message>
    <message>
        <source>{elapsed} of {limit}</source>
        <translation>{elapsed} sur {limit}</translation>
    </message>
    <message>
        <source>someone who left</source>
        <translation>une personne partie</translation>
    </message>
    <message>
        <source>{name} (you)</source>
        <translation>{name} (vous)</translation>
    </message>
</context>
<context>
    <name>TurnsPanel</name>
    <message>
        <source>The floor is open.</source>
        <translation>La parole est libre.</translation>
    </message>
    <message>
        <source>You have the floor.</source>
        <translation>Vous avez la parole.</translation>
    </message>
    <message>
        <source>{name} has the floor.</source>
        <translation>{name} a la parole.</translation>
    </message>
    <message>
        <source>Give the floor to {name}</source>
        <translation>Donner la parole à {name}</translation>
    </message>
    <message>
        <source>Give the floor to the member chosen</source>
        <translation>Donner la parole à la personne choisie</translation>
    </message>
    <message>
        <source>{place}. {name}, has the floor</source>
        <translation>{place}. {name}, a la parole</translation>
    </message>
    <message>
        <source>{place}. {name}</source>
        <translation>{place}. {name}</translation>
    </message>
    <message>
        <source>Give the floor</source>
        <translation>Donner la parole</translation>
    </message>
    <message>
        <source>Lower</source>
        <translation>Baisser</translation>
    </message>
    <message>
        <source>Lower {name}&apos;s hand</source>
        <translation>Baisser la main de {name}</translation>
    </message>
    <message>
        <source>Hands raised ({count})</source>
        <translation>Mains levées ({count})</translation>
    </message>
    <message>
        <source>Speaking turns</source>
        <translation>Tours de parole</translation>
    </message>
    <message>
        <source>The floor</source>
        <translation>La parole</translation>
    </message>
    <message>
        <source>Turn limit and microphones</source>
        <translation>Durée des tours et micros</translation>
    </message>
    <message>
        <source>&amp;Next speaker</source>
        <translation>Personne &amp;suivante</translation>
    </message>
    <message>
        <source>Give the floor to the first in line ({keys})</source>
        <translation>Donner la parole à la première personne de la file ({keys})</translation>
    </message>
    <message>
        <source>Next speaker</source>
        <translation>Personne suivante</translation>
    </message>
    <message>
        <source>End turn</source>
        <translation>Finir le tour</translation>
    </message>
    <message>
        <source>End the speaker&apos;s turn ({keys})</source>
        <translation>Finir le tour de la personne qui a la parole ({keys})</translation>
    </message>
    <message>
        <source>Extend (+1 min)</source>
        <translation>Prolonger (+1 min)</translation>
    </message>
    <message>
        <source>Give the speaker one more minute</source>
        <translation>Donner une minute de plus à la personne qui a la parole</translation>
    </message>
    <message>
        <source>Floor to:</source>
        <translation>Parole à :</translation>
    </message>
    <message>
        <source>Member to give the floor to</source>
        <translation>Personne à qui donner la parole</translation>
    </message>
    <message>
        <source>No hand is raised.</source>
        <translation>Aucune main n&apos;est levée.</translation>
    </message>
    <message>
        <source>Order:</source>
        <translation>Ordre :</translation>
    </message>
    <message>
        <source>Order of the queue</source>
        <translation>Ordre de la file</translation>
    </message>
    <message>
        <source>In the order raised</source>
        <translation>Dans l&apos;ordre des mains levées</translation>
    </message>
    <message>
        <source>Quieter members first</source>
        <translation>Les plus discrets d&apos;abord</translation>
    </message>
    <message>
        <source>Turn limit:</source>
        <translation>Durée d&apos;un tour :</translation>
    </message>
    <message>
        <source>Turn limit, in minutes and seconds</source>
        <translation>Durée d&apos;un tour, en minutes et secondes</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>Sans limite</translation>
    </message>
    <message>
        <source>Minutes:seconds; 0:00 for no limit</source>
        <translation>Minutes:secondes; 0:00 pour aucune limite</translation>
    </message>
    <message>
        <source>Set</source>
        <translation>Appliquer</translation>
    </message>
    <message>
        <source>Set the turn limit</source>
        <translation>Appliquer la durée d&apos;un tour</translation>
    </message>
    <message>
        <source>Mute all</source>
        <translation>Couper tous les micros</translation>
    </message>
    <message>
        <source>Ask everyone else to mute their microphone</source>
        <translation>Demander à tout le monde de couper son micro</translation>
    </message>
    <message>
        <source>Mute all but the speaker</source>
        <translation>Couper les autres micros</translation>
    </message>
    <message>
        <source>Ask everyone but the speaker to mute their microphone</source>
        <translation>Demander à tout le monde, sauf la personne qui a la parole, de couper son micro</translation>
    </message>
</context>
<context>
    <name>TurnsStrip</name>
    <message>
        <source>Lower hand</source>
        <translation>Baisser la main</translation>
    </message>
    <message>
        <source>Raise hand</source>
        <translation>Lever la main</translation>
    </message>
    <message>
        <source>Lower my hand</source>
        <translation>Baisser la main</translation>
    </message>
    <message>
        <source>Raise my hand</source>
        <translation>Lever la main</translation>
    </message>
    <message>
        <source>The floor is open.</source>
        <translation>La parole est libre.</translation>
    </message>
    <message>
        <source>You have the floor.</source>
        <translation>Vous avez la parole.</translation>
    </message>
    <message>
        <source>{name} has the floor.</source>
        <translation>{name} a la parole.</translation>
    </message>
    <message>
        <source>You are number {place} in line.</source>
        <translation>Vous êtes numéro {place} dans la file.</translation>
    </message>
    <message>
        <source>{count} in line.</source>
        <translation>{count} dans la file.</translation>
    </message>
    <message>
        <source>Nobody is in line.</source>
        <translation>Personne dans la file.</translation>
    </message>
    <message>
        <source>Round: {done} of {total} done</source>
        <translation>Tour de table : {done} sur {total} faits</translation>
    </message>
    <message>
        <source>it is your turn</source>
        <translation>c&apos;est votre tour</translation>
    </message>
    <message>
        <source>now: {name}</source>
        <translation>maintenant : {name}</translation>
    </message>
    <message>
        <source>you are next</source>
        <translation>vous êtes la prochaine personne</translation>
    </message>
    <message>
        <source>next: {name}</source>
        <translation>ensuite : {name}</translation>
    </message>
    <message>
        <source>Speaking turns</source>
        <translation>Tours de parole</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>Passer</translation>
    </message>
    <message>
        <source>Pass my turn in the round</source>
        <translation>Passer mon tour</translation>
    </message>
    <message>
        <source>Pass my turn in the round (only the facilitators see it)</source>
        <translation>Passer mon tour (seule l&apos;animation le voit)</translation>
    </message>
</context>
<context>
    <name>VideoTile</name>
    <message>
        <source>you</source>
        <translation>vous</translation>
    </message>
    <message>
        <source>muted</source>
        <translation>micro coupé</translation>
    </message>
    <message>
        <source>number {place} in line</source>
        <translation>numéro {place} dans la file</translation>
    </message>
    <message>
        <source>hand raised</source>
        <translation>main levée</translation>
    </message>
    <message>
        <source>has the floor</source>
        <translation>a la parole</translation>
    </message>
    <message>
        <source>safety signal</source>
        <translation>signal de sécurité</translation>
    </message>
    <message>
        <source>speaking</source>
        <translation>parle</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Reconnexion…</translation>
    </message>
    <message>
        <source>Connection lost</source>
        <translation>Connexion perdue</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <source>With the facilitator for a moment</source>
        <translation>Avec la personne qui anime pour un moment</translation>
    </message>
    <message>
        <source>In the group</source>
        <translation>Dans le groupe</translation>
    </message>
    <message>
        <source>{name} (you)</source>
        <translation>{name} (vous)</translation>
    </message>
    <message>
        <source>{name} · facilitator</source>
        <translation>{name} · animation</translation>
    </message>
    <message>
        <source>Muted</source>
        <translation>Micro coupé</translation>
    </message>
    <message>
        <source>In line: {place}</source>
        <translation>File : {place}</translation>
    </message>
    <message>
        <source>Hand raised</source>
        <translation>Main levée</translation>
    </message>
    <message>
        <source>Connection problem</source>
        <translation>Problème de connexion</translation>
    </message>
    <message>
        <source>Has the floor</source>
        <translation>A la parole</translation>
    </message>
    <message>
        <source>Safety signal</source>
        <translation>Signal de sécurité</translation>
    </message>
    <message>
        <source>Pinned</source>
        <translation>Épinglé</translation>
    </message>
</context>
</TS>
