"""Generate data/demo.json, the bundled demo plan, deterministically (random.Random(SEED)).

Run: ``PYTHONPATH=src python tools/make_demo.py``. Every date is laid out around the
week starting on ANCHOR (a Monday); the demo loader shifts all times by whole weeks
so that this week becomes the current one. NOW is the demo's "present": Thursday
evening of the anchor week, just after the exhibition opening.
"""

from __future__ import annotations

import json
import random
import string
import uuid
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from planterm.coverage import slot_id
from planterm.glossary import load_flags, load_glossary
from planterm.model import Account, Category, Event, EventKind, Post, Status, iso
from planterm.sensitive import keep, open_items, set_flags, tick
from planterm.store import SCHEMA

SEED = 1938
ANCHOR = date(2026, 11, 23)
PARIS = ZoneInfo("Europe/Paris")
OUT = Path(__file__).resolve().parents[1] / "data" / "demo.json"
SITE = "https://www.museesocietes.example"
K = EventKind

OBJECTIVES = [  # key, name, description, colour, target share %, target per month
    ("visites", "Faire venir au musée", "Donner envie de venir : expositions, événements, "
     "horaires, billetterie.", "#d62728", 25.0, 12),
    ("recherche", "Faire connaître la recherche", "Montrer les chercheurs au travail, leurs "
     "questions et leurs résultats.", "#1f77b4", 15.0, 6),
    ("debat", "Ouvrir le débat sur les collections", "Questionner l'origine des collections, "
     "les restitutions, les mots et les regards.", "#9467bd", 15.0, None),
    ("communaute", "Fédérer une communauté", "Faire participer, répondre, donner la parole "
     "aux publics et aux communautés.", "#2ca02c", 20.0, None),
    ("education", "Transmettre aux familles et aux scolaires", "Ressources, ateliers et "
     "visites pour le jeune public et les enseignants.", "#ff7f0e", 10.0, 4),
    ("notoriete", "Faire rayonner le musée", "Affirmer la place du musée dans le débat "
     "public et auprès des partenaires.", "#8c564b", 15.0, None),
]
THEMES = [  # key, name, description, colour, target share %
    ("prehistoire", "Préhistoire", "Outils, arts et vies du Paléolithique et du Néolithique.",
     "#a0522d", 15.0),
    ("evolution", "Évolution humaine", "Nos origines, nos cousins, ce qui fait de nous des "
     "humains.", "#6b8e23", 15.0),
    ("societes", "Sociétés et cultures", "La diversité des façons de vivre ensemble.",
     "#4682b4", 20.0),
    ("coulisses", "Coulisses", "Les métiers et le travail invisible du musée.", "#708090", None),
    ("recherche", "Recherche", "Les laboratoires, les terrains et les publications.",
     "#1e90ff", 10.0),
    ("expo-temporaire", "Exposition « Parures »", "« Parures. Ce que nous portons », "
     "exposition temporaire.", "#c71585", 20.0),
    ("collections", "Collections", "Objets, archives, fonds sonores et photographiques.",
     "#daa520", None),
    ("restitutions", "Restitutions", "Provenance des collections et retours aux communautés "
     "d'origine.", "#800000", None),
    ("jeune-public", "Jeune public", "Familles, scolaires, ateliers et jeux.", "#ff8c00", None),
]
ACCOUNTS = {"instagram": "@museesocietes", "facebook": "museesocietes", "x": "@museesocietes",
            "mastodon": "@museesocietes@mastodon.social", "bluesky": "@museesocietes.bsky.social",
            "threads": "@museesocietes", "linkedin": "musee-des-societes-humaines",
            "youtube": "@MuseeDesSocietes", "tiktok": "@museesocietes"}
LINKS = {"instagram": "https://www.instagram.com/p/{code}/",
         "facebook": "https://www.facebook.com/museesocietes/posts/{num}",
         "x": "https://x.com/museesocietes/status/{num}",
         "mastodon": "https://mastodon.social/@museesocietes/{num}",
         "bluesky": "https://bsky.app/profile/museesocietes.bsky.social/post/{code}",
         "threads": "https://www.threads.net/@museesocietes/post/{code}",
         "linkedin": "https://www.linkedin.com/feed/update/urn:li:activity:{num}/",
         "youtube": "https://www.youtube.com/watch?v={code}",
         "tiktok": "https://www.tiktok.com/@museesocietes/video/{num}"}
LIMITS = {"x": 280, "bluesky": 300, "mastodon": 500, "threads": 500}

AUDI, EVO, BALCON, SOC = ("Auditorium Jean Rouch", "Galerie de l'Évolution",
                          "Balcon des Sciences", "Galerie des Sociétés")
ATELIER, EXPO = "Atelier pédagogique", "Salle des expositions temporaires"
EVENTS = [  # week, weekday, local start, minutes, kind, title, place, hashtag, theme, rrule
    (-21, 3, "18:30", 90, K.TALK, "Rencontre : les premiers peuplements des Amériques", AUDI,
     "#RencontresDuMusée", "prehistoire", ""),
    (-20, 2, "14:30", 120, K.WORKSHOP, "Atelier d'été : fabrique ta parure préhistorique",
     ATELIER, "#ÉtéAuMusée", "jeune-public", ""),
    (-19, 5, "21:00", 150, K.FESTIVAL, "Nuit d'été au musée : contes et étoiles", BALCON,
     "#NuitDÉté", "societes", ""),
    (-17, 3, "18:30", 120, K.MEDIATION, "Soirée médiation : manger, un geste culturel", SOC,
     "#SoiréesMédiation", "societes", ""),
    (-15, 2, "15:00", 90, K.WORKSHOP, "Atelier famille : les empreintes de nos ancêtres",
     ATELIER, "#ÉtéAuMusée", "jeune-public", ""),
    (-13, 3, "18:30", 90, K.TALK, "Conférence : Néandertal, notre cousin", AUDI,
     "#RencontresDuMusée", "evolution", ""),
    (-12, 3, "18:30", 150, K.OPENING, "Réouverture de la Galerie de l'Évolution", EVO,
     "#GalerieÉvolution", "evolution", ""),
    (-10, 5, "10:00", 33 * 60, K.FESTIVAL, "Journées européennes du patrimoine", "Tout le musée",
     "#JEP2026", "collections", ""),
    (-9, 4, "18:00", 300, K.FESTIVAL, "Nuit européenne des chercheur·es", BALCON,
     "#NuitDesChercheurs", "recherche", ""),
    (-9, 5, "11:00", 90, K.TOUR, "Visite guidée du samedi : l'essentiel du musée", "Hall d'accueil",
     "#VisiteDuSamedi", "collections", "FREQ=WEEKLY;BYDAY=SA;COUNT=20"),
    (-8, 3, "19:00", 120, K.MEDIATION, "Les Jeudis de la médiation", BALCON,
     "#JeudisDeLaMédiation", "societes", "FREQ=MONTHLY;BYDAY=1TH;COUNT=8"),
    (-7, 3, "18:30", 120, K.TALK, "Table ronde : d'où viennent nos collections ?", AUDI,
     "#OrigineDesCollections", "collections", ""),
    (-7, 5, "10:00", 480, K.FESTIVAL, "Fête de la science : le labo ouvre ses portes",
     "Laboratoire (niveau -1)", "#FêteDeLaScience", "recherche", ""),
    (-6, 2, "18:30", 90, K.TALK, "Conférence : l'ADN ancien raconte les migrations", AUDI,
     "#RencontresDuMusée", "recherche", ""),
    (-5, 1, "14:00", 120, K.WORKSHOP, "Vacances de la Toussaint : atelier poterie néolithique",
     ATELIER, "#VacancesAuMusée", "prehistoire", ""),
    (-4, 5, "19:00", 150, K.MEDIATION, "Soirée Día de Muertos : regards croisés sur les morts",
     SOC, "#DíaDeMuertos", "societes", ""),
    (-3, 2, "18:30", 120, K.TALK, "Rencontre : restes humains dans les musées, quelle éthique ?",
     AUDI, "#RestesHumains", "collections", ""),
    (-2, 4, "18:30", 120, K.MEDIATION, "Soirée médiation : ces langues qui disparaissent", SOC,
     "#SoiréesMédiation", "societes", ""),
    (-1, 3, "10:00", 90, K.TOUR, "Visite presse : « Parures », avant-première", EXPO,
     "#ExpoParures", "expo-temporaire", ""),
    (0, 1, "18:30", 90, K.TALK, "Conférence : la parure, premier langage de l'humanité ?", AUDI,
     "#RencontresDuMusée", "expo-temporaire", ""),
    (0, 3, "18:30", 180, K.OPENING, "Vernissage de l'exposition « Parures. Ce que nous portons »",
     EXPO, "#ExpoParures", "expo-temporaire", ""),
    (0, 6, "15:00", 90, K.WORKSHOP, "Atelier famille : perles et pendentifs", ATELIER,
     "#ExpoParures", "jeune-public", ""),
    (1, 2, "18:30", 90, K.TALK, "Rencontre : bijoux et identité en Afrique de l'Ouest", AUDI,
     "#RencontresDuMusée", "societes", ""),
    (2, 2, "18:30", 120, K.MEDIATION, "Soirée médiation : les commissaires racontent Parures",
     EXPO, "#ExpoParures", "expo-temporaire", ""),
    (3, 4, "19:00", 150, K.FESTIVAL, "Nocturne de Noël : contes du monde", BALCON,
     "#NocturneDeNoël", "societes", ""),
    (4, 1, "14:30", 120, K.WORKSHOP, "Vacances de Noël : atelier masques du monde", ATELIER,
     "#VacancesAuMusée", "jeune-public", ""),
    (7, 2, "18:30", 90, K.TALK, "Conférence : le climat a-t-il fait l'humain ?", AUDI,
     "#RencontresDuMusée", "evolution", ""),
    (8, 4, "19:00", 240, K.FESTIVAL, "Nuit de la lecture : récits des origines", BALCON,
     "#NuitDeLaLecture", "societes", ""),
    (9, 3, "18:30", 120, K.TALK, "Table ronde : restituer, et après ?", AUDI,
     "#Restitutions", "restitutions", ""),
    (11, 4, "18:30", 150, K.MEDIATION, "Darwin Day : soirée évolution", EVO, "#DarwinDay",
     "evolution", ""),
    (12, 2, "14:30", 120, K.WORKSHOP, "Vacances d'hiver : apprentis paléoanthropologues",
     ATELIER, "#VacancesAuMusée", "jeune-public", ""),
    (13, 5, "11:00", 90, K.TOUR, "Visite en langue des signes : « Parures »", EXPO,
     "#MuséeAccessible", "expo-temporaire", ""),
    (15, 0, "18:30", 90, K.TALK, "Les femmes de la préhistoire, au-delà des clichés", AUDI,
     "#8Mars", "prehistoire", ""),
    (16, 3, "18:30", 90, K.TALK, "Conférence de clôture : l'humain et le vivant", AUDI,
     "#RencontresDuMusée", "evolution", ""),
    (17, 3, "18:30", 90, K.TALK, "Rencontre : qui a peint les grottes ?", AUDI,
     "#RencontresDuMusée", "prehistoire", ""),
    (18, 2, "14:30", 120, K.WORKSHOP, "Atelier de printemps : fossiles en famille", ATELIER,
     "#PrintempsAuMusée", "jeune-public", ""),
]
UNCOVERED = 2
"""The last events, planned after the rest: no coverage yet, so that the events pane shows
events that lack it (numbered last, drawn nothing: the rest of the plan stays what it was)."""
EXDATE = (4, 5, "11:00")  # no Saturday tour on 26 December
WHAT = {K.OPENING: "le vernissage", K.MEDIATION: "la soirée", K.TALK: "la rencontre",
        K.WORKSHOP: "l'atelier", K.TOUR: "la visite", K.FESTIVAL: "l'événement"}
KIND_OBJ = {K.OPENING: ["visites", "notoriete"], K.MEDIATION: ["communaute", "visites"],
            K.TALK: ["recherche", "debat"], K.WORKSHOP: ["education", "visites"],
            K.TOUR: ["visites"], K.FESTIVAL: ["communaute", "notoriete"]}
KIND_CH = {K.OPENING: ["instagram", "facebook", "x", "mastodon", "bluesky", "threads", "linkedin"],
           K.WORKSHOP: ["instagram", "facebook"], K.TOUR: ["instagram", "facebook", "x"]}
KIND_COVER = {K.WORKSHOP: ["D-7", "D-1"], K.TOUR: ["D-1"]}
"""The coverage each kind got, a part of its bundled template's (data/coverage.toml): the
demo's events show partial coverage, the rest to be generated."""
SLOTS = {-7: "teaser", -1: "reminder", 1: "recap"}
"""The template slot of each offset in days: the demo's posts remember theirs."""
KIND_NOTES = {K.OPENING: "Sur invitation, puis ouvert au public à 20h. Photographe : Léa.",
              K.TALK: "Jauge 180 places, réservation conseillée. Captation pour YouTube.",
              K.WORKSHOP: "Dès 6 ans, 15 enfants maximum, sur réservation."}
TEASE = ["Dans une semaine, {what} « {title} ». Rendez-vous {when}, {place}. Entrée libre sur "
         "réservation : {url}",
         "Notez la date ! {title} : {when}, {place}. On vous en dit plus très vite… {url}",
         "J-7 avant {what} « {title} ». Programme, intervenants et réservations sur {url} 📅"]
REMIND = ["C'est demain ! {title}, {when}, {place}. Il reste quelques places : {url}",
          "Demain, on vous attend pour {what} « {title} » ({place}, {hour}). Suivez {tag} pour "
          "ne rien manquer.",
          "Dernier rappel : {title}, demain à {hour}, {place}. À demain ! 👋 {url}"]
RECAP = ["Merci à toutes et à tous d'être venus pour {what} « {title} » ! Photos, moments forts "
         "et prochaines dates : {url}",
         "Retour en images sur « {title} ». Vous étiez nombreux, et les questions ont fusé "
         "jusqu'à la fin. On remet ça bientôt ? {tag}",
         "Vous l'avez manqué ? Les ressources de « {title} » sont en ligne : {url}"]
LIVE = ["C'est parti ! La salle est pleine. {tag}", "Premières questions du public, et déjà un "
        "beau débat. {tag}", "📍 {place} : on vous emmène avec nous ce soir. {tag}",
        "« Un objet n'est jamais muet, il faut apprendre à l'écouter. » {tag}",
        "Vous êtes nombreux à nous suivre en direct, merci ! {tag}",
        "Dernières minutes… et un tonnerre d'applaudissements 👏 {tag}",
        "Petite pause, on revient dans dix minutes. {tag}"]
LIVE_OPENING = ["Discours d'ouverture : merci aux équipes qui ont rendu cela possible ! {tag}",
                "Premiers visiteurs dans les salles ✨ {tag}",
                "Les commissaires présentent leur pièce préférée. Devinez laquelle ? {tag}",
                "Question du public : « Et demain, comment se parera-t-on ? » {tag}",
                "Les communautés associées à l'exposition sont là ce soir. Merci à elles. {tag}",
                "Coup d'œil sur la foule ce soir, la file s'allonge encore ! {tag}"]
PRACTICAL = ["Gratuit sur réservation, dans la limite des places disponibles.",
             "Accessible aux personnes à mobilité réduite ; boucle magnétique à l'auditorium.",
             "Tarif réduit pour les moins de 26 ans et les adhérents de la Société des amis."]
DETAILS = ["Le musée est ouvert du mardi au dimanche de 11h à 19h, avec une nocturne le jeudi "
           "jusqu'à 21h. Entrée gratuite pour les moins de 26 ans, et pour tout le monde le "
           "premier dimanche du mois.",
           "Cette publication fait partie de notre série hebdomadaire. Retrouvez tous les "
           "épisodes sur notre site, et proposez-nous vos objets préférés : nous lisons tous vos "
           "messages.",
           "Ces textes sont écrits avec les conservateurs et les chercheurs du musée. Une question "
           "vous reste ? Posez-la en commentaire, on vous répond dans la semaine.",
           "Vous préparez une visite en groupe ? Le service des publics construit avec vous un "
           "parcours sur mesure, en français, en anglais ou en langue des signes.",
           "Pour aller plus loin, la bibliothèque du musée vous accueille sur rendez-vous, du "
           "mardi au vendredi, avec ses 40 000 ouvrages et revues."]
CONTENT = {  # theme: subjects, titles, bodies, hashtags, objectives
    "prehistoire": (
        ["les bifaces en silex", "le propulseur en bois de renne", "les perles en coquillage",
         "les mains négatives", "les lampes à graisse", "l'aiguille à chas en os"],
        ["Objet de la semaine : {s}", "Préhistoire : {s} en trois questions",
         "Le saviez-vous ? {S}"],
        ["Il y a plus de 20 000 ans, des humains nous ont laissé {s}. Ces gestes patients "
         "racontent des savoir-faire transmis sur des générations. Que nous disent-ils de "
         "celles et ceux qui nous ont précédés ?",
         "{S} : un détail à l'échelle du musée, un monde à l'échelle de notre histoire. Nos "
         "préhistoriens expliquent comment on étudie ces traces aujourd'hui, de la fouille au "
         "microscope.",
         "On imagine souvent la préhistoire comme un temps de pure survie. Avec {s}, on "
         "constate pourtant le goût du beau, du partage et de l'invention."],
        ["#Préhistoire", "#Archéologie", "#Paléolithique"], ["visites", "education", "notoriete"]),
    "evolution": (
        ["le crâne de Néandertal de la galerie", "Lucy et les australopithèques",
         "les empreintes de Laetoli", "Homo floresiensis", "l'ADN de Denisova",
         "l'enfant de Taung"],
        ["Évolution : {s}", "Au fil de l'évolution : {s}", "Nos origines : {s}"],
        ["Notre histoire n'est pas une ligne droite mais un buisson. On le voit avec {s} : une "
         "piste qui bouscule ce que l'on croyait savoir.",
         "{S} : pourquoi en parler aujourd'hui ? Parce que chaque découverte oblige à reposer "
         "la question : qu'est-ce qui fait de nous des humains ? 🧬",
         "Dans la Galerie de l'Évolution, venez voir de près {s}, et ce que cela raconte de "
         "nos origines communes."],
        ["#ÉvolutionHumaine", "#Paléoanthropologie"], ["recherche", "education", "visites"]),
    "societes": (
        ["les calebasses gravées", "les tissus d'écorce", "l'art de la tresse",
         "les jeux de ficelle", "les instruments de musique du monde", "les manières de table"],
        ["Sociétés : {s}", "Regards croisés : {s}", "{S}, d'ici et d'ailleurs"],
        ["Partout dans le monde, les humains inventent des façons différentes de faire la même "
         "chose. On le voit avec {s} : des techniques, des goûts, des règles… et beaucoup de "
         "créativité.",
         "Derrière {s}, il y a des personnes, des savoir-faire et des histoires. Comment les "
         "montrer sans les figer ? C'est toute la question de la Galerie des Sociétés.",
         "{S} : rien de plus quotidien en apparence, et pourtant tout y dit la façon dont on "
         "vit ensemble. Et chez vous, comment ça se passe ?"],
        ["#Anthropologie", "#Cultures", "#Ethnologie"], ["debat", "communaute", "visites"]),
    "coulisses": (
        ["le chantier des collections", "la restauration d'un manteau de plumes",
         "la réserve des moulages", "le constat d'état d'un objet", "le soclage des objets",
         "le déménagement d'une vitrine"],
        ["Coulisses : {s}", "Dans les réserves : {s}", "Ce que vous ne voyez pas : {s}"],
        ["Les coulisses du musée, ce sont des dizaines de métiers. Aujourd'hui, nous vous "
         "emmenons parcourir {s}, avec l'équipe qui s'en occupe au quotidien. 🧤",
         "Gants, loupes et patience : voici {s}. Derrière chaque objet exposé, il y a des "
         "semaines de travail minutieux avant qu'il ne retrouve la lumière.",
         "Vous nous demandez ce qui se passe quand le musée est fermé. Réponse en images avec "
         "{s} !"],
        ["#CoulissesDuMusée", "#Conservation"], ["communaute", "notoriete"]),
    "recherche": (
        ["une thèse sur les parures du Paléolithique", "le laboratoire d'ADN ancien",
         "les fouilles de l'été", "la datation au carbone 14",
         "une enquête sur les langues en danger", "un projet de science participative"],
        ["Recherche : {s}", "Les chercheurs du musée : {s}", "Science en cours : {s}"],
        ["Le musée est aussi un lieu de recherche. Cette semaine, focus sur {s} : une question "
         "de départ, des méthodes, des doutes… et des résultats à venir. 🔬",
         "Comment travaille-t-on sur {s} ? Une chercheuse de notre équipe répond à vos "
         "questions en commentaires jusqu'à vendredi.",
         "Ce qui nous passionne dans {s} ? Une question simple et vertigineuse : comment les "
         "humains ont-ils vécu, ici et ailleurs ?"],
        ["#Recherche", "#Science", "#Anthropologie"], ["recherche", "notoriete"]),
    "expo-temporaire": (
        ["la salle des plumes", "les bijoux de la préhistoire", "les tatouages",
         "les coiffes du monde", "les parures d'aujourd'hui", "le parcours famille"],
        ["Parures : {s}", "Dans l'exposition « Parures » : {s}", "Parures, zoom sur {s}"],
        ["Se parer, c'est dire qui l'on est, à qui l'on appartient, ce que l'on croit. Dans « "
         "Parures. Ce que nous portons », on le comprend avec {s}. ✨",
         "Exposition « Parures » : zoom sur {s}. Des premiers coquillages percés aux créations "
         "contemporaines, 100 000 ans d'histoire de l'ornement.",
         "Coup de cœur de l'équipe dans « Parures » : {s}. Et vous, quelle parure "
         "porteriez-vous pour dire qui vous êtes ?"],
        ["#ExpoParures", "#Exposition"], ["visites", "notoriete", "communaute"]),
    "collections": (
        ["un herbier ethnobotanique", "les archives photographiques",
         "un fonds d'enregistrements sonores", "les moulages anthropologiques",
         "une parure de mariage offerte cette année", "les carnets de terrain d'une ethnologue"],
        ["Collections : {s}", "Trésor des collections : {s}", "À explorer en ligne : {s}"],
        ["Plus de 700 000 objets, documents et archives : nos collections ne tiennent pas "
         "toutes en vitrine. Aujourd'hui, coup de projecteur sur {s}.",
         "Saviez-vous que vous pouvez explorer en ligne {s} ? Une mine pour les curieux, les "
         "étudiants et les chercheurs. 📚",
         "Chaque objet a une histoire, et parfois plusieurs. Pour {s}, elle commence loin "
         "d'ici et continue avec vous."],
        ["#Collections", "#Patrimoine"], ["notoriete", "recherche", "debat"]),
    "jeune-public": (
        ["le livret-jeux", "les ateliers du mercredi", "les visites scolaires",
         "le parcours des tout-petits", "les anniversaires au musée", "le quiz du week-end"],
        ["En famille : {s}", "Jeune public : {s}", "Pour les petits curieux : {s}"],
        ["Petits et grands explorateurs, à vous de jouer ! {S} : de quoi apprendre en s'amusant "
         "comment vivaient nos ancêtres. 🦴",
         "Enseignants, animateurs, parents : tout savoir sur {s} est sur notre site, avec des "
         "ressources pédagogiques à télécharger.",
         "Qui a dit que les musées, c'était ennuyeux ? Avec {s}, les enfants mènent l'enquête "
         "d'une galerie à l'autre. 🔍"],
        ["#EnFamille", "#JeunePublic"], ["education", "visites", "communaute"]),
}
CLOSERS = [f"Infos et horaires : {SITE}/infos", "Ouvert du mardi au dimanche, de 11h à 19h.",
           "Dites-nous en commentaire ce que vous aimeriez voir !", f"À lire : {SITE}/blog",
           "Partagez avec celles et ceux qui aiment les histoires d'objets.",
           f"Réservez votre visite : {SITE}/billetterie",
           "📍 Musée des Sociétés Humaines, du mardi au dimanche."]
MEDIA = ["Photo de l'objet sur fond neutre (crédit : service photo)", "Carrousel de 4 visuels",
         "Vidéo verticale 30 s, sous-titrée", "Pas de visuel : citation sur fond de couleur",
         "Photo d'archive, vérifier les droits", "Vidéo 1 min avec la chercheuse, sous-titres"]
NOTES = ["Faire relire par le service des publics.", "Crédit photo à vérifier avec la régie.",
         "Republier en story le jour J.", "Mentionner les partenaires de l'événement."]
CANCEL_NOTES = ["Annulé : doublon avec la newsletter.", "Annulé : visuel non validé à temps.",
                "Annulé : actualité peu propice ce jour-là."]
FLAGS = load_flags()[0]  # the bundled flags alone: the demo is the same for everyone
ORIG, BONES, CULT = "collection-origin", "human-remains", "living-community"
REVIEWERS = ("Camille Martin", "Inès Haddad")
KEPT = {"« Primitifs » ? Les mots ont une histoire": {
    "primitif": "cité entre guillemets : le post interroge ce mot",
    "tribu": "cité entre guillemets, comme sur les anciens cartels"}}
"""Terms kept on purpose, by the title of the post that keeps them, with the reason."""
GLOSSARY = load_glossary()[0]
FOSSILS = {"prehistoire", "evolution"}
"""Themes where « découverte » is a fossil's: kept on purpose, with that reason."""
SENSITIVE = [  # week, weekday, hour, title, flags, themes, objectives, event hashtag, body
    (-19, 2, 11, "D'où vient ce masque ?", [ORIG], ["collections", "societes"], ["debat"], "",
     "Ce masque est entré dans nos collections en 1931, au retour d'une grande mission. Dans "
     "quelles conditions a-t-il été collecté ? Qui l'a cédé, et avait-on vraiment le choix ? "
     "Nos recherches de provenance tentent d'y répondre, sans certitudes faciles."),
    (-16, 3, 14, "Pourquoi nous ne montrons plus de restes humains en photo", [BONES],
     ["collections", "recherche"], ["debat", "recherche"], "",
     "Le musée conserve des restes humains, étudiés par les chercheurs. Nous avons choisi de "
     "ne plus diffuser leurs images sur nos réseaux, par respect pour les personnes et leurs "
     "descendants. Ce choix vous semble-t-il juste ? Nous lisons vos avis."),
    (-13, 1, 17, "« Primitifs » ? Les mots ont une histoire", [CULT], ["societes"],
     ["debat", "education"], "",
     "« Peuples primitifs », « tribus », « coutumes étranges »… Ces mots ont longtemps figuré "
     "sur les cartels. Ils disent surtout le regard de ceux qui les écrivaient. Comment nommer "
     "sans hiérarchiser ? On en discute ?"),
    (-11, 4, 10, "Enquête de provenance : le carnet d'un collecteur", [ORIG],
     ["collections", "recherche"], ["recherche", "debat"], "",
     "Un carnet de 1912 retrouvé dans nos archives note, objet par objet, où et comment ils "
     "ont été obtenus : achats, dons, mais aussi prises. Que faire de ce que l'on y lit ?"),
    (-8, 1, 12, "D'où viennent nos collections ? On en débat", [ORIG],
     ["collections", "restitutions"], ["debat"], "#OrigineDesCollections",
     "Achats, dons, missions, saisies coloniales : nos collections ont des histoires très "
     "diverses. Chercheurs et représentants de communautés en débattent jeudi. Quelles "
     "questions aimeriez-vous leur poser ?"),
    (-5, 0, 18, "Día de Muertos : une fête, pas un déguisement", [CULT], ["societes"],
     ["debat", "communaute"], "#DíaDeMuertos",
     "Au Mexique, le Día de Muertos est un moment de mémoire et de lien avec les défunts. "
     "Comment en parler ici sans le réduire à un décor d'Halloween ? Nos invités partageront "
     "leurs regards samedi."),
    (-4, 0, 11, "Restes humains dans les musées : quelle éthique ?", [BONES],
     ["recherche", "collections"], ["debat", "recherche"], "#RestesHumains",
     "Faut-il conserver, étudier, exposer, rendre ? Mercredi, une anthropologue, une juriste "
     "et un représentant de communauté confrontent leurs points de vue. Venez avec vos "
     "questions."),
    (-2, 3, 10, "Ce que disent les descendants", [ORIG, CULT], ["restitutions", "societes"],
     ["debat"], "",
     "Pour certaines familles, un objet de nos réserves n'est pas un objet de musée mais un "
     "ancêtre, un être, un lien. Nous avons écouté leurs mots ; voici ce qu'ils nous ont "
     "appris."),
    (0, 0, 13, "Parures sacrées : pourquoi certaines ne sont pas exposées", [CULT],
     ["expo-temporaire", "societes"], ["debat", "visites"], "",
     "Certaines parures ne se montrent pas : leurs gardiens nous l'ont demandé. Dans « Parures "
     "», leur absence est signalée et expliquée. Un musée peut-il tout montrer ?"),
    (0, 5, 11, "Plumes et parures : qui a le droit de les porter ?", [CULT], ["expo-temporaire"],
     ["debat"], "",
     "Une coiffe de plumes peut être un insigne réservé à quelques personnes. La porter en "
     "festival, est-ce un hommage ou une appropriation ? Les avis divergent : parlons-en."),
    (1, 1, 12, "Restitution : une parure retourne à sa communauté", [ORIG], ["restitutions"],
     ["debat", "notoriete"], "",
     "Après trois ans de dialogue, une parure de nos collections retourne auprès de la "
     "communauté qui l'a créée. Une fin, ou le début d'une autre relation ?"),
    (2, 3, 18, "Restes humains : ce que la science en apprend, ce que la loi en dit", [BONES],
     ["recherche"], ["recherche", "debat"], "",
     "Âge, alimentation, maladies, migrations : l'étude des restes humains renseigne sur le "
     "passé. Mais la loi et l'éthique encadrent ces recherches. Où placer la limite ?"),
    (4, 2, 11, "Masques du monde : atelier ou appropriation ?", [CULT],
     ["jeune-public", "societes"], ["education", "debat"], "",
     "Pendant les vacances, les enfants créent des masques inspirés des collections. Comment "
     "le faire en expliquant d'où viennent ces formes et ce qu'elles signifient pour ceux qui "
     "les portent ?"),
    (7, 2, 17, "Restituer, et après ?", [ORIG], ["restitutions"], ["debat"], "#Restitutions",
     "Rendre un objet ne clôt pas une histoire. Que deviennent les objets restitués, et les "
     "liens entre musées et communautés ? Table ronde le 28 janvier : vos questions sont "
     "bienvenues."),
    (9, 4, 10, "Retour sur la table ronde « Restituer, et après ? »", [ORIG], ["restitutions"],
     ["debat", "communaute"], "#Restitutions",
     "Merci aux intervenants et au public. Trois idées fortes, et beaucoup de questions "
     "ouvertes, que nous continuerons d'explorer avec vous."),
    (12, 1, 11, "Les crânes de la collection : une histoire à regarder en face", [BONES, ORIG],
     ["collections", "restitutions"], ["debat", "recherche"], "",
     "Au XIXe siècle, des crânes ont été collectés pour des classifications aujourd'hui "
     "réfutées. Comment raconter cette histoire sans la répéter ? Nous ouvrons le dossier, "
     "avec prudence."),
]
IDEAS = [  # title, themes, objectives, channels, body
    ("Série « Un objet, une voix » : la parole aux communautés", ["societes"], ["communaute"],
     ["instagram", "facebook"], "Une fois par mois, une personne liée à un objet en parle."),
    ("Live Instagram avec l'équipe de fouille", ["recherche"], ["recherche"], ["instagram"],
     "Depuis le chantier de l'été prochain ; prévoir une connexion 4G."),
    ("Quiz : devine l'objet", ["collections"], ["communaute"], ["instagram", "threads"],
     "Un détail zoomé chaque vendredi, la réponse le lundi."),
    ("Portrait de l'équipe d'accueil", ["coulisses"], ["communaute"], ["instagram", "linkedin"],
     "Celles et ceux qui vous accueillent ; demander l'accord de chacun."),
    ("Thread : dix idées reçues sur Néandertal", ["evolution"], ["education"],
     ["mastodon", "bluesky"], "Un fil, une idée reçue par message, sources à l'appui."),
    ("TikTok : la taille du silex en 30 secondes", ["prehistoire"], ["notoriete"], ["tiktok"],
     "Avec le médiateur qui fait les démonstrations."),
    ("Podcast : les voix des collections sonores", ["collections"], ["recherche"], ["youtube"],
     "Extraits du fonds sonore, droits à vérifier."),
    ("Nuit des musées 2027 : idées de programmation", ["societes"], ["visites"],
     ["instagram", "facebook"], "Escape game dans les galeries ? #NuitDesMusées"),
    ("Calendrier de l'Avent des réserves", ["coulisses", "collections"], ["communaute"],
     ["instagram"], "24 objets rarement montrés, un par jour."),
    ("Série d'été : un pays, un objet", ["societes"], ["visites"], ["instagram", "facebook"],
     "Pour les vacances : un objet par pays, une carte interactive."),
]
GLOSSARY_DRAFTS = [  # day, hour, status, title, channels, themes, objectives, flags, body
    (8, 15, Status.DRAFT, "Masques d'Océanie : une collection à interroger",
     ["instagram", "facebook"], ["collections", "societes"], ["debat"], [],
     "Ces objets primitifs ont été découverts en 1931 lors d'une expédition dans le "
     "Pacifique. Que savons-nous de celles et ceux qui les ont faits ?"),
    (10, 10, Status.REVIEW, "La momie de Chancay quitte la salle", ["instagram", "mastodon"],
     ["collections", "recherche"], ["recherche"], [BONES],
     "Notre momie péruvienne quitte la salle pour être étudiée. Qui était cette personne ? "
     "Les chercheurs tentent de le savoir, avec les institutions du Pérou."),
]
"""Drafts with glossary terms to question, drawn and numbered after the rest, in the next
week (days from the anchor Monday): the counts of the anchor week and month stay theirs."""

UNREADY = [  # weekday, hour, status, title, channels, themes, objectives, body: posts to fix
    (4, 10, Status.REVIEW, "Fil : pourquoi se parer ?", ["x", "bluesky"],
     ["expo-temporaire", "prehistoire"], ["education"],
     "Il y a plus de 100 000 ans, des humains perçaient déjà des coquillages pour les porter. "
     "Pourquoi ? Pour se reconnaître entre membres d'un même groupe, pour dire son âge, son "
     "rang, ses alliances, ou simplement pour être beau. L'exposition « Parures » raconte ce "
     "premier langage du corps, des perles de Blombos aux bijoux d'aujourd'hui. À voir au musée "
     "jusqu'en mars."),
    (5, 16, Status.APPROVED, "Carrousel : les coulisses du montage de « Parures »",
     ["instagram", "facebook"], ["coulisses", "expo-temporaire"], ["communaute"], ""),
    (6, 11, Status.DRAFT, "Parures du monde : votre bijou porte-t-il une histoire ?",
     ["instagram", "threads"], ["expo-temporaire", "societes"], ["communaute"],
     "Un bijou hérité, offert, fabriqué : racontez-nous son histoire en commentaire, nous en "
     "partagerons quelques-unes. #Parures #ExpoParures #Bijoux #Héritage #Musée #Patrimoine "
     "#Anthropologie"),
]
"""Anchor-week posts after the demo's present that are not ready for their status (too
long for X and Bluesky, approved without a text, too many hashtags): the ⚠ of the views."""
NETWORKS = list(ACCOUNTS)
TEXT_CH = {"instagram": 8, "facebook": 6, "x": 4, "mastodon": 4, "bluesky": 4, "threads": 3,
           "linkedin": 2}
NOW_DAY, NOW_HOUR = 3, 22  # Thursday 22:00 of the anchor week, after the opening
LADDER = [Status.SCHEDULED, Status.APPROVED, Status.REVIEW, Status.DRAFT, Status.IDEA]
READY = {Status.APPROVED, Status.SCHEDULED, Status.PUBLISHED}
rng = random.Random(SEED)
reviews = random.Random(f"{SEED} reviews")  # its own draws: ticks change no other part


def at(day: int, hh: int, mm: int = 0) -> datetime:
    """Paris wall-clock time ``day`` days after the anchor Monday, as aware UTC."""
    return datetime.combine(ANCHOR + timedelta(days=day), time(hh, mm), PARIS).astimezone(UTC)


NOW, WEEK_START, WEEK_END = at(NOW_DAY, NOW_HOUR), at(0, 0), at(7, 0)
LAST = at(17 * 7, 0)  # no coverage posts for occurrences after the planned period
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]


def hour_fr(dt: datetime) -> str:
    loc = dt.astimezone(PARIS)
    return f"{loc.hour}h{loc.minute:02d}" if loc.minute else f"{loc.hour}h"


def when_fr(dt: datetime) -> str:
    loc = dt.astimezone(PARIS)
    day = "1er" if loc.day == 1 else str(loc.day)
    return f"{DAYS[loc.weekday()]} {day} {MONTHS[loc.month - 1]} à {hour_fr(dt)}"


def pick(weights: dict[str, int], k: int) -> list[str]:
    """``k`` distinct keys drawn by weight, in the canonical network order."""
    chosen: set[str] = set()
    while len(chosen) < min(k, len(weights)):
        chosen.add(rng.choices(list(weights), list(weights.values()))[0])
    return [n for n in NETWORKS if n in chosen]


def status_at(t: datetime) -> Status:
    """A status that fits a post's time relative to the demo's present."""
    if t < NOW:
        return Status.CANCELLED if rng.random() < 0.07 else Status.PUBLISHED
    days = (t - NOW).days
    if days < 21:
        return rng.choices(LADDER[:4], (35, 25, 25, 15))[0]
    if days < 42:
        return rng.choices(LADDER[1:], (5, 20, 50, 25))[0]
    return rng.choices(LADDER[3:], (40, 60))[0]


def post(title: str, body: str, t: datetime | None, **kw: object) -> Post:
    status = kw.pop("status", None) or (status_at(t) if t else Status.IDEA)
    return Post(title=title, body=body, scheduled=t, status=status, **kw)


def editorial(theme: str, t: datetime, allow_expo: bool, recent: dict[str, list[str]]) -> Post:
    subjects, titles, bodies, tags, objs = CONTENT[theme]
    used = recent.setdefault(theme, [])
    s = rng.choice([x for x in subjects if x not in used[-4:]])
    used.append(s)
    fill = {"s": s, "S": s[0].upper() + s[1:]}
    body = rng.choice(bodies).format(**fill)
    if rng.random() < 0.35:
        body += "\n\n" + rng.choice(DETAILS)
    if rng.random() < 0.65 or len(body) < 150:
        body += " " + rng.choice(CLOSERS)
    others = [k for k in CONTENT if k != theme and (allow_expo or k != "expo-temporaire")]
    media = rng.choice(MEDIA) if rng.random() < 0.75 else ""
    chans = pick(TEXT_CH, rng.choice([1, 2, 2, 3, 3, 3, 4]))
    if "Vidéo" in media and rng.random() < 0.6:
        keep = {*chans[:3], rng.choice(["youtube", "tiktok"])}
        chans = [n for n in NETWORKS if n in keep]
    return post(rng.choice(titles).format(**fill), body, t, channels=chans,
                objectives=rng.sample(objs, rng.choice([1, 1, 2])),
                themes=[theme, *([rng.choice(others)] if rng.random() < 0.3 else [])],
                hashtags=rng.sample(tags, rng.randint(1, 2)), media=media,
                notes=rng.choice(NOTES) if rng.random() < 0.2 else "")


def cover(ev_id: int, ev: Event, theme: str, start: datetime, end: datetime) -> list[Post]:
    """The coverage plan of one occurrence of an event, as posts."""
    fill = {"title": ev.title, "when": when_fr(start), "hour": hour_fr(start), "place": ev.place,
            "tag": ev.hashtag, "what": WHAT[ev.kind], "url": f"{SITE}/agenda/{ev_id}"}
    common = {"event": ev_id, "themes": [theme], "hashtags": [ev.hashtag]}
    day, last = ((t.astimezone(PARIS).date() - ANCHOR).days for t in (start, end))
    out = []
    day_of = start.astimezone(PARIS).date()
    for offset in KIND_COVER.get(ev.kind, ["D-7", "D-1", "live", "D+1"]):
        if offset == "live":
            if end < NOW:
                n = 6 if ev.kind is K.OPENING else rng.randint(2, 3)
                lines = LIVE_OPENING if ev.kind is K.OPENING else LIVE
                for i, line in enumerate(rng.sample(lines, n), 1):
                    t = start + (end - start) * i / (n + 1)
                    t = t.replace(second=0, microsecond=0)
                    out.append(post(f"En direct {hour_fr(t)} – {ev.title}",
                                    line.format(**fill), t, status=Status.PUBLISHED, live=True,
                                    channels=pick(dict.fromkeys(ev.channels[:5], 1),
                                                  rng.randint(1, 3)),
                                    objectives=KIND_OBJ[ev.kind][:1], **common))
            continue
        shift = int(offset[1:])
        label, texts, hh = {-7: ("J-7", TEASE, 10), -1: ("Demain", REMIND, 12),
                            1: ("Retour", RECAP, 11)}[shift]
        t = at((last if shift > 0 else day) + shift, hh, rng.choice((0, 15, 30)))
        body = rng.choice(texts).format(**fill)
        if shift < 0 and (rng.random() < 0.5 or len(body) < 100):
            body += "\n\n" + rng.choice(PRACTICAL)
        out.append(post(f"{label} – {ev.title}", body, t,
                        channels=pick(dict.fromkeys(ev.channels, 1), rng.randint(2, 4)),
                        objectives=rng.sample(KIND_OBJ[ev.kind], 1), media=rng.choice(MEDIA),
                        slot=slot_id(ev.kind.value, SLOTS[shift], day_of), **common))
    return out


def build_events() -> tuple[list[Event], list[str]]:
    rows = sorted(EVENTS, key=lambda r: (r[0], r[1], r[2]))
    events, themes = [], []
    for week, wd, hhmm, minutes, kind, title, place, tag, theme, rule in rows:
        start = at(week * 7 + wd, *map(int, hhmm.split(":")))
        exdates = [at(EXDATE[0] * 7 + EXDATE[1], 11)] if "WEEKLY" in rule else []
        events.append(Event(title=title, start=start, end=start + timedelta(minutes=minutes),
                            kind=kind, place=place, hashtag=tag, rrule=rule, exdates=exdates,
                            channels=KIND_CH.get(kind, NETWORKS[:5]),
                            objectives=KIND_OBJ[kind], themes=[theme],
                            notes=KIND_NOTES.get(kind, "")))
        themes.append(theme)
    return events, themes


def occurrences(ev: Event) -> list[datetime]:
    """Start times of a recurring event, in UTC, expanded in Paris wall-clock time."""
    local = ev.start.astimezone(PARIS).replace(tzinfo=None)
    skip = {d.astimezone(PARIS).replace(tzinfo=None) for d in ev.exdates}
    return [o.replace(tzinfo=PARIS).astimezone(UTC)
            for o in rrulestr(ev.rrule, dtstart=local) if o not in skip]


def finish(p: Post, shorten: bool = True) -> None:
    """Link, checklist, variants and timestamps, coherent with the post's status and time;
    ``shorten``: give a shorter variant where the body is too long for a channel."""
    if p.status is Status.PUBLISHED:
        code = "".join(rng.choices(string.ascii_letters + string.digits, k=11))
        p.link = LINKS[p.channels[0]].format(code=code, num=rng.randrange(10**17, 10**18))
    if p.status is Status.CANCELLED:
        p.notes = rng.choice(CANCEL_NOTES)
    tags = " ".join(p.hashtags[:2])
    for ch in p.channels:
        if shorten and ch in LIMITS and len(p.body) + len(tags) + 1 > LIMITS[ch] - 20:
            first = p.body.split(". ")[0].rstrip(".") + "."
            p.variants[ch] = f"{first if len(first) < 200 else p.title} {tags}".strip()
    if (shorten and "x" in p.channels and not p.live and "x" not in p.variants
            and rng.random() < 0.15):
        p.variants["x"] = f"{p.title} {tags}".strip()
    if p.live:
        p.created = p.updated = p.scheduled - timedelta(minutes=1)
        return
    bound = min(p.scheduled, NOW) if p.scheduled else NOW
    p.created = (bound - timedelta(hours=rng.randint(24, 24 * 40))).replace(second=0)
    p.updated = (p.created + (bound - timedelta(minutes=10) - p.created) * rng.random()).replace(
        second=0, microsecond=0)
    if p.flags:
        review(p)
    kept = dict(KEPT.get(p.title, {}))
    if set(p.themes) & FOSSILS and "decouverte" in GLOSSARY.keys_in(p.body):
        kept["decouverte"] = "la découverte d'un fossile par des chercheurs : le sens propre"
    for term, reason in kept.items():
        p.kept = keep(p, term, reason).kept


def review(p: Post) -> None:
    """The checklist of a flagged post (every item of its flags), ticked by the team
    between its creation and its last change: all of it once approved, part of it before
    (when all got ticked, a second reading is asked for again: an untick on record)."""
    done = set_flags(p, p.flags, FLAGS)
    items, span = list(done.checklist), p.updated - p.created
    ready = p.status in READY
    for n, item in enumerate(items, 1):
        if ready or reviews.random() < 0.5:
            when = (p.created + span * n / (len(items) + 2)).replace(second=0, microsecond=0)
            done = tick(done, item, True, reviews.choice(REVIEWERS), when)
    if not ready and not open_items(done):
        done = tick(done, items[-1], False, REVIEWERS[0], p.updated)
    p.checklist, p.review = done.checklist, done.review


def build() -> dict[str, dict[str, dict[str, object]]]:
    assert ANCHOR.weekday() == 0, "the anchor must be a Monday"
    events, ev_themes = build_events()
    posts: list[Post] = []
    covered = events[:-UNCOVERED]
    for ev_id, (ev, theme) in enumerate(zip(covered, ev_themes, strict=False), 1):
        if not ev.rrule:
            posts += cover(ev_id, ev, theme, ev.start, ev.end or ev.start)
            continue
        for i, start in enumerate(occurrences(ev)):
            if start < LAST and (ev.kind is not K.TOUR or i % 3 == 1):
                posts += cover(ev_id, ev, theme, start, start + (ev.end - ev.start))
    recent: dict[str, list[str]] = {}
    for week in range(-20, 17):  # the editorial line; the anchor week is full
        day_weights = (2, 2, 2, 2, 3, 3, 3) if week == 0 else (3, 4, 4, 4, 4, 2, 2)
        for _ in range(22 if week == 0 else rng.randint(4, 6)):
            day = week * 7 + rng.choices(range(7), day_weights)[0]
            hh = rng.choice((9, 10, 10, 11, 11, 12, 12, 13, 14, 15, 16, 17, 18, 18, 19, 20))
            t = at(day, hh, 0 if hh == 20 else rng.choice((0, 15, 30, 45)))
            allowed = [k for k in CONTENT if week >= -6 or k != "expo-temporaire"]
            posts.append(editorial(rng.choice(allowed), t, week >= -6, recent))
    by_tag = {ev.hashtag: i for i, ev in enumerate(events, 1)}
    for week, wd, hh, title, flags, themes, objs, tag, body in SENSITIVE:
        posts.append(post(title, body, at(week * 7 + wd, hh), flags=flags, themes=themes,
                          objectives=objs, event=by_tag.get(tag), hashtags=[tag] if tag else [],
                          channels=pick(TEXT_CH, rng.randint(2, 4)),
                          notes="Sujet sensible : ton questionnant, pas de réponse surplombante."))
    for title, themes, objs, chans, body in IDEAS:
        posts.append(post(title, body + " Idée à creuser : format, visuels, qui rédige ?", None,
                          themes=themes, objectives=objs, channels=chans))
    posts.sort(key=lambda p: p.scheduled or datetime.max.replace(tzinfo=UTC))
    later = [p for p in posts if p.scheduled and NOW <= p.scheduled < WEEK_END]
    assert len(later) >= len(LADDER), "the anchor week needs posts after NOW"
    for i, p in enumerate(later):
        p.status = LADDER[i * len(LADDER) // len(later)]
    for p in posts:
        finish(p)
    # drawn last and numbered last, so that the rest of the plan stays what it was
    for wd, hh, status, title, chans, themes, objs, body in UNREADY:
        posts.append(post(title, body, at(wd, hh), status=status, channels=chans,
                          themes=themes, objectives=objs))
        finish(posts[-1], shorten=False)
    for day, hh, status, title, chans, themes, objs, flags, body in GLOSSARY_DRAFTS:
        posts.append(post(title, body, at(day, hh), status=status, channels=chans,
                          themes=themes, objectives=objs, flags=flags))
        finish(posts[-1], shorten=False)

    def table(docs: list[dict[str, object]]) -> dict[str, dict[str, object]]:
        return {str(i): doc for i, doc in enumerate(docs, 1)}

    uids = random.Random(f"{SEED} uids")  # its own draws: the plan stays what it was
    for item in (*covered, *posts, *events[-UNCOVERED:]):
        item.uid = str(uuid.UUID(int=uids.getrandbits(128), version=4))
    marks = {"posts": len(posts) + 1, "events": len(events) + 1}

    def cats(rows: list[tuple], per_month: bool) -> dict[str, dict[str, object]]:
        return table([Category(r[0], r[1], r[2], r[3], r[4], r[5] if per_month else None)
                      .to_doc() for r in rows])

    return {"meta": table([{"app": "planterm", "schema": SCHEMA, "next_ids": marks,
                            "demo_anchor": ANCHOR.isoformat()}]),
            "objectives": cats(OBJECTIVES, True), "themes": cats(THEMES, False),
            "accounts": table([Account(n, h).to_doc() for n, h in ACCOUNTS.items()]),
            "events": table([e.to_doc() for e in events]),
            "posts": table([p.to_doc() for p in posts])}


def main() -> None:
    data = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    week = [d for d in data["posts"].values()
            if d["scheduled"] and str(iso(WEEK_START)) <= str(d["scheduled"]) < str(iso(WEEK_END))]
    print(f"wrote {OUT}: " + ", ".join(f"{k} {len(v)}" for k, v in data.items())
          + f"; anchor week {len(week)} posts")


if __name__ == "__main__":
    main()
