var we,S,dn,X,We,un,hn,Se,de,ae,mn,Ne,Re,Pe,pn,fe={},_e=[],Tn=/acit|ex(?:s|g|n|p|$)|rph|grid|ows|mnc|ntw|ine[ch]|zoo|^ord|itera/i,ke=Array.isArray;function G(n,t){for(var r in t)n[r]=t[r];return n}function Oe(n){n&&n.parentNode&&n.parentNode.removeChild(n)}function Mn(n,t,r){var s,i,a,o={};for(a in t)a=="key"?s=t[a]:a=="ref"?i=t[a]:o[a]=t[a];if(arguments.length>2&&(o.children=arguments.length>3?we.call(arguments,2):r),typeof n=="function"&&n.defaultProps!=null)for(a in n.defaultProps)o[a]===void 0&&(o[a]=n.defaultProps[a]);return ue(n,o,s,i,null)}function ue(n,t,r,s,i){var a={type:n,props:t,key:r,ref:s,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:i??++dn,__i:-1,__u:0};return i==null&&S.vnode!=null&&S.vnode(a),a}function J(n){return n.children}function he(n,t){this.props=n,this.context=t}function ee(n,t){if(t==null)return n.__?ee(n.__,n.__i+1):null;for(var r;t<n.__k.length;t++)if((r=n.__k[t])!=null&&r.__e!=null)return r.__e;return typeof n.type=="function"?ee(n):null}function qn(n){if(n.__P&&n.__d){var t=n.__v,r=t.__e,s=[],i=[],a=G({},t);a.__v=t.__v+1,S.vnode&&S.vnode(a),Le(n.__P,a,t,n.__n,n.__P.namespaceURI,32&t.__u?[r]:null,s,r??ee(t),!!(32&t.__u),i),a.__v=t.__v,a.__.__k[a.__i]=a,vn(s,a,i),t.__e=t.__=null,a.__e!=r&&fn(a)}}function fn(n){if((n=n.__)!=null&&n.__c!=null)return n.__e=n.__c.base=null,n.__k.some(function(t){if(t!=null&&t.__e!=null)return n.__e=n.__c.base=t.__e}),fn(n)}function De(n){(!n.__d&&(n.__d=!0)&&X.push(n)&&!ge.__r++||We!=S.debounceRendering)&&((We=S.debounceRendering)||un)(ge)}function ge(){try{for(var n,t=1;X.length;)X.length>t&&X.sort(hn),n=X.shift(),t=X.length,qn(n)}finally{X.length=ge.__r=0}}function _n(n,t,r,s,i,a,o,l,c,u,h){var _,d,f,v,C,$,x=s&&s.__k||_e,y=t.length;for(c=Nn(r,t,x,c,y),_=0;_<y;_++)(f=r.__k[_])!=null&&(d=f.__i!=-1&&x[f.__i]||fe,f.__i=_,$=Le(n,f,d,i,a,o,l,c,u,h),v=f.__e,f.ref&&d.ref!=f.ref&&(d.ref&&Ue(d.ref,null,f),h.push(f.ref,f.__c||v,f)),C==null&&v!=null&&(C=v),4&f.__u?(c=gn(f,c,n),d.__e&&(d.__e=null)):typeof f.type=="function"&&$!==void 0?c=$:v&&(c=v.nextSibling),f.__u&=-7);return r.__e=C,c}function Nn(n,t,r,s,i){var a,o,l,c,u,h=r.length,_=h,d=0;for(n.__k=new Array(i),a=0;a<i;a++)(o=t[a])!=null&&typeof o!="boolean"&&typeof o!="function"?(typeof o=="string"||typeof o=="number"||typeof o=="bigint"||o.constructor==String?o=n.__k[a]=ue(null,o,null,null,null):ke(o)?o=n.__k[a]=ue(J,{children:o},null,null,null):o.constructor===void 0&&o.__b>0?o=n.__k[a]=ue(o.type,o.props,o.key,o.ref?o.ref:null,o.__v):n.__k[a]=o,c=a+d,o.__=n,o.__b=n.__b+1,l=null,(u=o.__i=On(o,r,c,_))!=-1&&(_--,(l=r[u])&&(l.__u|=2)),l==null||l.__v==null?(u==-1&&(i>h?d--:i<h&&d++),typeof o.type!="function"&&(o.__u|=4)):u!=c&&(u==c-1?d--:u==c+1?d++:(u>c?d--:d++,o.__u|=4))):n.__k[a]=null;if(_)for(a=0;a<h;a++)(l=r[a])!=null&&(2&l.__u)==0&&(l.__e==s&&(s=ee(l)),wn(l,l));return s}function gn(n,t,r){var s,i;if(typeof n.type=="function"){for(s=n.__k,i=0;s&&i<s.length;i++)s[i]&&(s[i].__=n,t=gn(s[i],t,r));return t}n.__e!=t&&(t&&n.type&&!t.parentNode&&(t=ee(n)),t=r.insertBefore(n.__e,t||null));do t=t&&t.nextSibling;while(t!=null&&t.nodeType==8);return t}function On(n,t,r,s){var i,a,o,l=n.key,c=n.type,u=t[r],h=u!=null&&(2&u.__u)==0;if(u===null&&l==null||h&&l==u.key&&c==u.type)return r;if(s>(h?1:0)){for(i=r-1,a=r+1;i>=0||a<t.length;)if((u=t[o=i>=0?i--:a++])!=null&&(2&u.__u)==0&&l==u.key&&c==u.type)return o}return-1}function je(n,t,r){t[0]=="-"?n.setProperty(t,r??""):n[t]=r==null?"":typeof r!="number"||Tn.test(t)?r:r+"px"}function le(n,t,r,s,i){var a,o;e:if(t=="style")if(typeof r=="string")n.style.cssText=r;else{if(typeof s=="string"&&(n.style.cssText=s=""),s)for(t in s)r&&t in r||je(n.style,t,"");if(r)for(t in r)s&&r[t]==s[t]||je(n.style,t,r[t])}else if(t[0]=="o"&&t[1]=="n")a=t!=(t=t.replace(mn,"$1")),o=t.toLowerCase(),t=o in n||t=="onFocusOut"||t=="onFocusIn"?o.slice(2):t.slice(2),n.l||(n.l={}),n.l[t+a]=r,r?s?r[ae]=s[ae]:(r[ae]=Ne,n.addEventListener(t,a?Pe:Re,a)):n.removeEventListener(t,a?Pe:Re,a);else{if(i=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in n)try{n[t]=r??"";break e}catch{}typeof r=="function"||(r==null||r===!1&&t[4]!="-"?n.removeAttribute(t):n.setAttribute(t,t=="popover"&&r==1?"":r))}}function Ke(n){return function(t){if(this.l){var r=this.l[t.type+n];if(t[de]==null)t[de]=Ne++;else if(t[de]<r[ae])return;return r(S.event?S.event(t):t)}}}function Le(n,t,r,s,i,a,o,l,c,u){var h,_,d,f,v,C,$,x,y,p,w,b,m,g,A,F,I=t.type;if(t.constructor!==void 0)return null;128&r.__u&&(c=!!(32&r.__u),a=[l=t.__e=r.__e]),(h=S.__b)&&h(t);e:if(typeof I=="function"){_=o.length;try{if(y=t.props,p=I.prototype&&I.prototype.render,w=(h=I.contextType)&&s[h.__c],b=h?w?w.props.value:h.__:s,r.__c?x=(d=t.__c=r.__c).__=d.__E:(p?t.__c=d=new I(y,b):(t.__c=d=new he(y,b),d.constructor=I,d.render=Un),w&&w.sub(d),d.state||(d.state={}),d.__n=s,f=d.__d=!0,d.__h=[],d._sb=[]),p&&d.__s==null&&(d.__s=d.state),p&&I.getDerivedStateFromProps!=null&&(d.__s==d.state&&(d.__s=G({},d.__s)),G(d.__s,I.getDerivedStateFromProps(y,d.__s))),v=d.props,C=d.state,d.__v=t,f)p&&I.getDerivedStateFromProps==null&&d.componentWillMount!=null&&d.componentWillMount(),p&&d.componentDidMount!=null&&d.__h.push(d.componentDidMount);else{if(p&&I.getDerivedStateFromProps==null&&y!==v&&d.componentWillReceiveProps!=null&&d.componentWillReceiveProps(y,b),t.__v==r.__v||!d.__e&&d.shouldComponentUpdate!=null&&d.shouldComponentUpdate(y,d.__s,b)===!1){t.__v!=r.__v&&(d.props=y,d.state=d.__s,d.__d=!1),t.__e=r.__e,t.__k=r.__k,t.__k.some(function(H){H&&(H.__=t)}),_e.push.apply(d.__h,d._sb),d._sb=[],d.__h.length&&o.push(d),l=ee(r);break e}d.componentWillUpdate!=null&&d.componentWillUpdate(y,d.__s,b),p&&d.componentDidUpdate!=null&&d.__h.push(function(){d.componentDidUpdate(v,C,$)})}if(d.context=b,d.props=y,d.__P=n,d.__e=!1,m=S.__r,g=0,p)d.state=d.__s,d.__d=!1,m&&m(t),h=d.render(d.props,d.state,d.context),_e.push.apply(d.__h,d._sb),d._sb=[];else do d.__d=!1,m&&m(t),h=d.render(d.props,d.state,d.context),d.state=d.__s;while(d.__d&&++g<25);d.state=d.__s,d.getChildContext!=null&&(s=G(G({},s),d.getChildContext())),p&&!f&&d.getSnapshotBeforeUpdate!=null&&($=d.getSnapshotBeforeUpdate(v,C)),A=h!=null&&h.type===J&&h.key==null?bn(h.props.children):h,l=_n(n,ke(A)?A:[A],t,r,s,i,a,o,l,c,u),d.base=t.__e,t.__u&=-161,d.__h.length&&o.push(d),x&&(d.__E=d.__=null)}catch(H){if(o.length=_,t.__v=null,c||a!=null){if(H.then){for(t.__u|=c?160:128;l&&l.nodeType==8&&l.nextSibling;)l=l.nextSibling;a!=null&&(a[a.indexOf(l)]=null),t.__e=l}else if(a!=null)for(F=a.length;F--;)Oe(a[F])}else t.__e=r.__e;t.__k==null&&(t.__k=r.__k||[]),H.then||yn(t),S.__e(H,t,r)}}else a==null&&t.__v==r.__v?(t.__k=r.__k,t.__e=r.__e):l=t.__e=Ln(r.__e,t,r,s,i,a,o,c,u);return(h=S.diffed)&&h(t),128&t.__u?void 0:l}function yn(n){n&&(n.__c&&(n.__c.__e=!0),n.__k&&n.__k.some(yn))}function vn(n,t,r){for(var s=0;s<r.length;s++)Ue(r[s],r[++s],r[++s]);S.__c&&S.__c(t,n),n.some(function(i){try{n=i.__h,i.__h=[],n.some(function(a){a.call(i)})}catch(a){S.__e(a,i.__v)}})}function bn(n){return typeof n!="object"||n==null||n.__b>0?n:ke(n)?n.map(bn):n.constructor!==void 0?null:G({},n)}function Ln(n,t,r,s,i,a,o,l,c){var u,h,_,d,f,v,C,$=r.props||fe,x=t.props,y=t.type;if(y=="svg"?i="http://www.w3.org/2000/svg":y=="math"?i="http://www.w3.org/1998/Math/MathML":i||(i="http://www.w3.org/1999/xhtml"),a!=null){for(u=0;u<a.length;u++)if((f=a[u])&&"setAttribute"in f==!!y&&(y?f.localName==y:f.nodeType==3)){n=f,a[u]=null;break}}if(n==null){if(y==null)return document.createTextNode(x);n=document.createElementNS(i,y,x.is&&x),l&&(S.__m&&S.__m(t,a),l=!1),a=null}if(y==null)$===x||l&&n.data==x||(n.data=x);else{if(a=y=="textarea"&&x.defaultValue!=null?null:a&&we.call(n.childNodes),!l&&a!=null)for($={},u=0;u<n.attributes.length;u++)$[(f=n.attributes[u]).name]=f.value;for(u in $)f=$[u],u=="dangerouslySetInnerHTML"?_=f:u=="children"||u in x||u=="value"&&"defaultValue"in x||u=="checked"&&"defaultChecked"in x||le(n,u,null,f,i);for(u in x)f=x[u],u=="children"?d=f:u=="dangerouslySetInnerHTML"?h=f:u=="value"?v=f:u=="checked"?C=f:l&&typeof f!="function"||$[u]===f||le(n,u,f,$[u],i);if(h)l||_&&(h.__html==_.__html||h.__html==n.innerHTML)||(n.innerHTML=h.__html),t.__k=[];else if(_&&(n.innerHTML=""),_n(t.type=="template"?n.content:n,ke(d)?d:[d],t,r,s,y=="foreignObject"?"http://www.w3.org/1999/xhtml":i,a,o,a?a[0]:r.__k&&ee(r,0),l,c),a!=null)for(u=a.length;u--;)Oe(a[u]);l&&y!="textarea"||(u="value",y=="progress"&&v==null?n.removeAttribute("value"):v!=null&&(v!==n[u]||y=="progress"&&!v||y=="option"&&v!=$[u])&&le(n,u,v,$[u],i),u="checked",C!=null&&C!=n[u]&&le(n,u,C,$[u],i))}return n}function Ue(n,t,r){try{if(typeof n=="function"){var s=typeof n.__u=="function";s&&n.__u(),s&&t==null||(n.__u=n(t))}else n.current=t}catch(i){S.__e(i,r)}}function wn(n,t,r){var s,i;if(S.unmount&&S.unmount(n),(s=n.ref)&&(s.current&&s.current!=n.__e||Ue(s,null,t)),(s=n.__c)!=null){if(s.componentWillUnmount)try{s.componentWillUnmount()}catch(a){S.__e(a,t)}s.base=s.__P=s.__n=null}if(s=n.__k)for(i=0;i<s.length;i++)s[i]&&wn(s[i],t,r||typeof n.type!="function");r||Oe(n.__e),n.__c=n.__=n.__e=void 0}function Un(n,t,r){return this.constructor(n,r)}function Bn(n,t,r){var s,i,a,o;t==document&&(t=document.documentElement),S.__&&S.__(n,t),i=(s=!1)?null:t.__k,a=[],o=[],Le(t,n=t.__k=Mn(J,null,[n]),i||fe,fe,t.namespaceURI,i?null:t.firstChild?we.call(t.childNodes):null,a,i?i.__e:t.firstChild,s,o),vn(a,n,o),n.props.children=null}function Fn(n){function t(r){var s,i;return this.getChildContext||(s=new Set,(i={})[t.__c]=this,this.getChildContext=function(){return i},this.componentWillUnmount=function(){s=null},this.shouldComponentUpdate=function(a){this.props.value!=a.value&&s.forEach(function(o){o.__e=!0,De(o)})},this.sub=function(a){s.add(a);var o=a.componentWillUnmount;a.componentWillUnmount=function(){s&&s.delete(a),o&&o.call(a)}}),r.children}return t.__c="__cC"+pn++,t.__=n,t.Provider=t.__l=(t.Consumer=function(r,s){return r.children(s)}).contextType=t,t}we=_e.slice,S={__e:function(n,t,r,s){for(var i,a,o;t=t.__;)if((i=t.__c)&&!i.__)try{if((a=i.constructor)&&a.getDerivedStateFromError!=null&&(i.setState(a.getDerivedStateFromError(n)),o=i.__d),i.componentDidCatch!=null&&(i.componentDidCatch(n,s||{}),o=i.__d),o)return i.__E=i}catch(l){n=l}throw n}},dn=0,he.prototype.setState=function(n,t){var r;r=this.__s!=null&&this.__s!=this.state?this.__s:this.__s=G({},this.state),typeof n=="function"&&(n=n(G({},r),this.props)),n&&G(r,n),n!=null&&this.__v&&(t&&this._sb.push(t),De(this))},he.prototype.forceUpdate=function(n){this.__v&&(this.__e=!0,n&&this.__h.push(n),De(this))},he.prototype.render=J,X=[],un=typeof Promise=="function"?Promise.prototype.then.bind(Promise.resolve()):setTimeout,hn=function(n,t){return n.__v.__b-t.__v.__b},ge.__r=0,Se=Math.random().toString(8),de="__d"+Se,ae="__a"+Se,mn=/(PointerCapture)$|Capture$/i,Ne=0,Re=Ke(!1),Pe=Ke(!0),pn=0;var En=0;function e(n,t,r,s,i,a){t||(t={});var o,l,c=t;if("ref"in c)for(l in c={},t)l=="ref"?o=t[l]:c[l]=t[l];var u={type:n,props:c,key:r,ref:o,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:--En,__i:-1,__u:0,__source:i,__self:a};if(typeof n=="function"&&(o=n.defaultProps))for(l in o)c[l]===void 0&&(c[l]=o[l]);return S.vnode&&S.vnode(u),u}var te,P,Ae,ze,oe=0,kn=[],T=S,Qe=T.__b,Ge=T.__r,Ye=T.diffed,Je=T.__c,Xe=T.unmount,Ze=T.__;function $e(n,t){T.__h&&T.__h(P,n,oe||t),oe=0;var r=P.__H||(P.__H={__:[],__h:[]});return n>=r.__.length&&r.__.push({}),r.__[n]}function k(n){return oe=1,Vn(xn,n)}function Vn(n,t,r){var s=$e(te++,2);if(s.t=n,!s.__c&&(s.__=[xn(void 0,t),function(l){var c=s.__N?s.__N[0]:s.__[0],u=s.t(c,l);c!==u&&(s.__N=[u,s.__[1]],s.__c.setState({}))}],s.__c=P,!P.__f)){var i=function(l,c,u){if(!s.__c.__H)return!0;var h=!1,_=s.__c.props!==l;if(s.__c.__H.__.some(function(f){if(f.__N){h=!0;var v=f.__[0];f.__=f.__N,f.__N=void 0,v!==f.__[0]&&(_=!0)}}),a){var d=a.call(this,l,c,u);return h?d||_:d}return!h||_};P.__f=!0;var a=P.shouldComponentUpdate,o=P.componentWillUpdate;P.componentWillUpdate=function(l,c,u){if(this.__e){var h=a;a=void 0,i(l,c,u),a=h}o&&o.call(this,l,c,u)},P.shouldComponentUpdate=i}return s.__N||s.__}function K(n,t){var r=$e(te++,3);!T.__s&&Cn(r.__H,t)&&(r.__=n,r.u=t,P.__H.__h.push(r))}function se(n){return oe=5,$n(function(){return{current:n}},[])}function $n(n,t){var r=$e(te++,7);return Cn(r.__H,t)&&(r.__=n(),r.__H=t,r.__h=n),r.__}function Hn(n,t){return oe=8,$n(function(){return n},t)}function Wn(n){var t=P.context[n.__c],r=$e(te++,9);return r.c=n,t?(r.__==null&&(r.__=!0,t.sub(P)),t.props.value):n.__}function jn(){for(var n;n=kn.shift();){var t=n.__H;if(n.__P&&t)try{t.__h.some(me),t.__h.some(Te),t.__h=[]}catch(r){t.__h=[],T.__e(r,n.__v)}}}T.__b=function(n){P=null,Qe&&Qe(n)},T.__=function(n,t){n&&t.__k&&t.__k.__m&&(n.__m=t.__k.__m),Ze&&Ze(n,t)},T.__r=function(n){Ge&&Ge(n),te=0;var t=(P=n.__c).__H;t&&(Ae===P?(t.__h=[],P.__h=[],t.__.some(function(r){r.__N&&(r.__=r.__N),r.u=r.__N=void 0})):(t.__h.some(me),t.__h.some(Te),t.__h=[],te=0)),Ae=P},T.diffed=function(n){Ye&&Ye(n);var t=n.__c;t&&t.__H&&(t.__H.__h.length&&(kn.push(t)!==1&&ze===T.requestAnimationFrame||((ze=T.requestAnimationFrame)||Kn)(jn)),t.__H.__.some(function(r){r.u&&(r.__H=r.u,r.u=void 0)})),Ae=P=null},T.__c=function(n,t){t.some(function(r){try{r.__h.some(me),r.__h=r.__h.filter(function(s){return!s.__||Te(s)})}catch(s){t.some(function(i){i.__h&&(i.__h=[])}),t=[],T.__e(s,r.__v)}}),Je&&Je(n,t)},T.unmount=function(n){Xe&&Xe(n);var t,r=n.__c;r&&r.__H&&(r.__H.__.some(function(s){try{me(s)}catch(i){t=i}}),r.__H=void 0,t&&T.__e(t,r.__v))};var en=typeof requestAnimationFrame=="function";function Kn(n){var t,r=function(){clearTimeout(s),en&&cancelAnimationFrame(t),setTimeout(n)},s=setTimeout(r,35);en&&(t=requestAnimationFrame(r))}function me(n){var t=P,r=n.__c;typeof r=="function"&&(n.__c=void 0,r()),P=t}function Te(n){var t=P;n.__c=n.__(),P=t}function Cn(n,t){return!n||n.length!==t.length||t.some(function(r,s){return r!==n[s]})}function xn(n,t){return typeof t=="function"?t(n):t}const zn={network:"The server cannot be reached. Check your connection and try again.",invalid_credentials:"That e-mail and password do not match an account.",account_locked:"Too many wrong passwords: this account is locked for a short while. Try again later.",too_many_requests:"Too many requests in a short time. Wait a moment and try again.",rate_limited:"Too many requests in a short time. Wait a moment and try again.",unauthenticated:"Your session has ended. Please sign in again.",token_expired:"Your session has expired. Please sign in again.",session_ended:"You were signed out (the session was ended). Please sign in again.",refresh_token_reused:"This session was ended for safety because it was used from two places. Please sign in again.",forbidden:"Your role does not allow this.",missing_scope:"Your role does not allow this.",not_found:"This record no longer exists, or belongs to another workspace.",precondition_failed:"Someone else changed this record a moment ago (perhaps in another tab). Your change was not saved; the page now shows the latest version.",validation_failed:"Some values are not valid.",invalid_body:"Some values are not valid.",bad_user_input:"Some values are not valid.",idempotency_key_reused:"This request was already sent with other values.",database_busy:"The server is busy. Try again in a few seconds.",database_timeout:"The server took too long to answer. Try again in a few seconds.",database_unavailable:"The database is unavailable at the moment. Try again shortly.",model_not_fitted:"The value model has not been fitted yet, so there are no predictions.",internal_error:"Something went wrong on the server. Try again; if it persists, tell an administrator.",conflict:"This conflicts with the current state of the record."};function Z(n,t,r){const s=zn[n];if(n==="validation_failed"||n==="invalid_body"||n==="bad_user_input"){const i=r?` (${r})`:"";return t?`${nn(t)}${i}.`.replace(/\.\.$/,"."):`${s??""}${i}`}return s||(t?`${nn(t)}${t.endsWith(".")?"":"."}`:`The request failed (${n.replace(/_/g," ")}).`)}function nn(n){return n.charAt(0).toUpperCase()+n.slice(1)}let z=null,ce=null;const ye=new Set;class Y extends Error{constructor(t,r,s){super(r),this.code=t,this.field=s}code;field}function Qn(n){return ye.add(n),()=>ye.delete(n)}function Gn(){return z!==null}function Sn(n){z={access:n.access_token,refresh:n.refresh_token,expiresAt:Date.now()+Math.max(0,n.expires_in-60)*1e3}}function Be(){const n=z!==null;z=null,n&&ye.forEach(t=>t(!1))}async function Fe(n){let t=`http_${n.status}`,r="",s;try{const i=await n.json();t=i.code??t,r=i.detail??"",s=i.errors?.[0]?.field}catch{}return new Y(t,Z(t,r,s),s)}async function Ee(n,t){try{return await fetch(n,{method:"POST",headers:{"content-type":"application/json",accept:"application/json"},body:JSON.stringify(t),credentials:"omit"})}catch{throw new Y("network",Z("network","",void 0))}}async function Yn(n,t){const r=await Ee("/v1/auth/token",{email:n,password:t});if(!r.ok)throw await Fe(r);Sn(await r.json()),ye.forEach(s=>s(!0))}async function tn(){if(!z)throw new Y("unauthenticated",Z("unauthenticated","",void 0));if(!ce){const n=z.refresh;ce=(async()=>{const t=await Ee("/v1/auth/refresh",{refresh_token:n});if(!t.ok){const r=await Fe(t);throw Be(),r}Sn(await t.json())})().finally(()=>{ce=null})}return ce}async function An(){const n=z;Be(),n&&await Ee("/v1/auth/logout",{refresh_token:n.refresh}).catch(()=>{})}const rn=new Set(["unauthenticated","token_expired","session_ended"]);async function N(n,t){for(let r=0;;r++){if(!z)throw new Y("unauthenticated",Z("unauthenticated","",void 0));Date.now()>=z.expiresAt&&await tn();const s=z?.access??"";let i;try{i=await fetch("/graphql",{method:"POST",headers:{"content-type":"application/json",accept:"application/json",authorization:`Bearer ${s}`},body:JSON.stringify({query:n.toString(),variables:t??{}}),credentials:"omit"})}catch{throw new Y("network",Z("network","",void 0))}if(!i.ok)throw await Fe(i);const a=await i.json(),o=a.errors?.[0];if(o){const l=o.extensions?.code??"internal_error";if(rn.has(l)&&r===0&&l!=="session_ended"){await tn();continue}throw rn.has(l)&&Be(),new Y(l,Z(l,o.message,o.extensions?.field))}if(a.data==null)throw new Y("internal_error",Z("internal_error","",void 0));return a.data}}function ve(){return crypto.randomUUID()}let Ve="EUR";function ne(n){return typeof n=="number"?n:Number(n)}function Jn(n){Ve=n}function R(n,t=Ve){if(n==null)return"—";try{return new Intl.NumberFormat("en-GB",{style:"currency",currency:t}).format(ne(n)/100)}catch{return`${(ne(n)/100).toFixed(2)} ${t}`}}function pe(n,t=Ve){try{return new Intl.NumberFormat("en-GB",{style:"currency",currency:t,notation:"compact",maximumFractionDigits:1}).format(ne(n)/100)}catch{return`${Math.round(ne(n)/100)} ${t}`}}function U(n,t=0){return n==null||Number.isNaN(n)?"—":`${(n*100).toFixed(t)} %`}function D(n){return new Intl.NumberFormat("en-GB").format(ne(n))}function B(n){if(!n)return"—";const t=new Date(n);return Number.isNaN(t.getTime())?n:t.toLocaleDateString("en-GB",{day:"numeric",month:"short",year:"numeric",timeZone:"UTC"})}function In(n){if(!n)return"—";const t=Math.floor((Date.now()-new Date(n).getTime())/864e5);if(t<=0)return"today";if(t===1)return"yesterday";if(t<60)return`${t} days ago`;const r=Math.round(t/30.4);return r<24?`${r} months ago`:`${Math.round(t/365)} years ago`}function q(n){if(!n)return"—";const t=n.replace(/_/g," ");return t.charAt(0).toUpperCase()+t.slice(1)}class M extends String{__apiType;value;__meta__;constructor(t,r){super(t),this.value=t,this.__meta__=r}toString(){return this.value}}new M(`
    fragment ArmComparisonParts on ArmComparison {
  group
  incrementalRevenue
  incrementalMargin
  significance
  treatment {
    members
    buyers
    conversionRate
    revenuePerMember
  }
  control {
    members
    buyers
    conversionRate
    revenuePerMember
  }
  conversionUplift {
    difference
    relative
    ciLow
    ciHigh
    pValue
    significance
  }
}
    `,{fragmentName:"ArmComparisonParts"});const Xn=new M(`
    query Me {
  me {
    name
    email
    role
  }
  workspace {
    name
  }
  valueSettings {
    reportingCurrency
  }
}
    `),Zn=new M(`
    query Campaigns {
  campaigns(first: 100) {
    nodes {
      id
      name
      channel
      status
      segmentId
      launchedAt
      endsAt
      controlShare
      audience {
        eligible
        treated
        control
      }
    }
  }
  segments(first: 100) {
    nodes {
      id
      name
    }
  }
}
    `),et=new M(`
    query CampaignResults($id: ID!) {
  campaignResults(id: $id) {
    status
    currency
    windowStart
    windowEnd
    windowOpen
    cost
    romi
    total {
      ...ArmComparisonParts
    }
    byRfmSegment {
      ...ArmComparisonParts
    }
  }
}
    fragment ArmComparisonParts on ArmComparison {
  group
  incrementalRevenue
  incrementalMargin
  significance
  treatment {
    members
    buyers
    conversionRate
    revenuePerMember
  }
  control {
    members
    buyers
    conversionRate
    revenuePerMember
  }
  conversionUplift {
    difference
    relative
    ciLow
    ciHigh
    pValue
    significance
  }
}`),nt=new M(`
    mutation CreateCampaign($input: CampaignInput!, $key: String) {
  createCampaign(input: $input, idempotencyKey: $key) {
    id
    name
  }
}
    `),tt=new M(`
    mutation LaunchCampaign($id: ID!, $key: String) {
  launchCampaign(id: $id, idempotencyKey: $key) {
    id
    status
    audience {
      treated
      control
    }
  }
}
    `),rt=new M(`
    query Cohorts($from: String!) {
  cohortReport(period: "month", from: $from) {
    currency
    cohorts {
      cohort
      customers
      periods {
        periodNumber
        period
        activeCustomers
        retention
        cumulativeRevenuePerCustomer
      }
    }
  }
}
    `),it=new M(`
    query Customer360($id: ID!) {
  account(id: $id) {
    id
    name
    kind
    emails
    phones
    tags
    lifecycleStage
    acquisitionChannel
    createdAt
    metrics {
      currency
      ordersCount
      revenue
      margin
      averageOrderValue
      firstOrderAt
      lastOrderAt
      repeatPurchases
      rfm {
        r
        f
        m
        segment
        label
      }
      pAlive
      churnProbability
      riskBand
      expectedOrders90d
      expectedOrderValue
      clv
      spendModel
      predictionsUnavailable
    }
    interactions(first: 12) {
      nodes {
        id
        type
        channel
        direction
        subject
        occurredAt
      }
    }
    orders(first: 12) {
      nodes {
        id
        externalId
        amount
        currency
        refundedAmount
        status
        occurredAt
        channel
      }
    }
  }
  loyaltyBalance(accountId: $id) {
    available
    pending
    expiringIn30Days
    lifetimeEarned
    tier {
      name
    }
    nextTier {
      name
      missing
    }
  }
  loyaltyLedger(accountId: $id, first: 6) {
    nodes {
      id
      kind
      points
      reason
      occurredAt
    }
  }
  deals(first: 20, filter: {accountId: $id, status: "open"}) {
    nodes {
      id
      title
      amount
      currency
      stageId
      expectedCloseOn
    }
  }
  pipelines(first: 20) {
    nodes {
      stages {
        id
        name
      }
    }
  }
}
    `),st=new M(`
    query Customers($first: Int!, $after: String, $filter: AccountFilterInput, $withSegments: Boolean!) {
  accounts(first: $first, after: $after, filter: $filter, sort: "name") {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      name
      kind
      lifecycleStage
      emails
      metrics {
        ordersCount
        revenue
        clv
        riskBand
        rfm {
          label
        }
      }
    }
  }
  segments(first: 100) @include(if: $withSegments) {
    nodes {
      id
      name
    }
  }
}
    `),at=new M(`
    query Loyalty {
  loyaltyProgram {
    currency
    active
    earnRate {
      numerator
      denominator
    }
    qualification
    qualificationWindowDays
    expiryMonths
    pendingDays
    tiers {
      name
      threshold
      multiplierPermille
      benefits
    }
  }
  loyaltyRewards(first: 100) {
    nodes {
      id
      name
      description
      pointsCost
      stock
      availableUntil
    }
  }
}
    `),ot=new M(`
    query Overview($from: String!) {
  valueDistribution {
    currency
    revenue {
      customers
      total
      concentration {
        topPercent
        share
      }
    }
    clv {
      customers
      total
    }
  }
  churnReport(period: "month", from: $from) {
    repeat {
      repeatPurchaseRate
    }
    periods {
      period
      activeCustomers
      newCustomers
      churnRate
    }
    expected {
      expectedChurnRate
    }
  }
  atRiskAccounts(first: 5) {
    nodes {
      accountId
      name
      valueAtRisk
      churnProbability
    }
  }
}
    `),lt=new M(`
    query Board {
  pipelines(first: 20) {
    nodes {
      id
      name
      stages {
        id
        name
        kind
        probability
      }
    }
  }
  deals(first: 500, filter: {status: "open"}) {
    nodes {
      id
      title
      amount
      currency
      pipelineId
      stageId
      version
      expectedCloseOn
    }
  }
}
    `),ct=new M(`
    mutation MoveDeal($id: ID!, $stageId: ID!, $ifVersion: Int, $lostReason: String, $key: String) {
  moveDeal(
    id: $id
    stageId: $stageId
    ifVersion: $ifVersion
    lostReason: $lostReason
    idempotencyKey: $key
  ) {
    id
    stageId
    version
    status
  }
}
    `),dt=new M(`
    query Segments {
  segments(first: 100) {
    nodes {
      id
      name
      description
      rule
      tracked
      createdAt
    }
  }
}
    `),ut=new M(`
    query PreviewSegment($rule: JSON!) {
  previewSegment(rule: $rule, sampleSize: 5) {
    count
    sample {
      id
      name
    }
  }
}
    `),ht=new M(`
    mutation CreateSegment($input: SegmentInput!, $key: String) {
  createSegment(input: $input, idempotencyKey: $key) {
    id
    name
  }
}
    `),mt=new M(`
    query Settings {
  users(first: 100) {
    nodes {
      id
      name
      email
      role
      disabled
      lastLoginAt
    }
  }
  apiKeys(first: 100) {
    nodes {
      id
      name
      prefix
      scopes
      lastUsedAt
      expiresAt
      revokedAt
    }
  }
  webhooks(first: 50) {
    nodes {
      id
      url
      description
      eventTypes
      enabled
      disabledReason
    }
  }
}
    `),pt=new M(`
    query WebhookDeliveries($id: ID!) {
  webhookDeliveries(webhookId: $id, first: 20) {
    nodes {
      id
      eventType
      attempt
      trigger
      outcome
      statusCode
      latencyMs
      error
      createdAt
    }
  }
}
    `),ft=new M(`
    query Value {
  rfmSegments {
    currency
    breakpointsFittedAt
    scoredAccounts
    unscoredAccounts
    segments {
      segment
      label
      accounts
      revenue
      shareOfAccounts
      shareOfRevenue
    }
  }
  valueDistribution {
    currency
    clv {
      customers
      histogram {
        lower
        upper
        customers
      }
    }
  }
  atRiskAccounts(first: 20) {
    nodes {
      accountId
      name
      valueAtRisk
      churnProbability
      riskBand
      clv
      revenue
      segment
    }
  }
}
    `),_t={"\n  query Me {\n    me {\n      name\n      email\n      role\n    }\n    workspace {\n      name\n    }\n    valueSettings {\n      reportingCurrency\n    }\n  }\n":Xn,"\n  query Campaigns {\n    campaigns(first: 100) {\n      nodes {\n        id\n        name\n        channel\n        status\n        segmentId\n        launchedAt\n        endsAt\n        controlShare\n        audience {\n          eligible\n          treated\n          control\n        }\n      }\n    }\n    segments(first: 100) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n":Zn,"\n  query CampaignResults($id: ID!) {\n    campaignResults(id: $id) {\n      status\n      currency\n      windowStart\n      windowEnd\n      windowOpen\n      cost\n      romi\n      total {\n        ...ArmComparisonParts\n      }\n      byRfmSegment {\n        ...ArmComparisonParts\n      }\n    }\n  }\n  fragment ArmComparisonParts on ArmComparison {\n    group\n    incrementalRevenue\n    incrementalMargin\n    significance\n    treatment {\n      members\n      buyers\n      conversionRate\n      revenuePerMember\n    }\n    control {\n      members\n      buyers\n      conversionRate\n      revenuePerMember\n    }\n    conversionUplift {\n      difference\n      relative\n      ciLow\n      ciHigh\n      pValue\n      significance\n    }\n  }\n":et,"\n  mutation CreateCampaign($input: CampaignInput!, $key: String) {\n    createCampaign(input: $input, idempotencyKey: $key) {\n      id\n      name\n    }\n  }\n":nt,"\n  mutation LaunchCampaign($id: ID!, $key: String) {\n    launchCampaign(id: $id, idempotencyKey: $key) {\n      id\n      status\n      audience {\n        treated\n        control\n      }\n    }\n  }\n":tt,'\n  query Cohorts($from: String!) {\n    cohortReport(period: "month", from: $from) {\n      currency\n      cohorts {\n        cohort\n        customers\n        periods {\n          periodNumber\n          period\n          activeCustomers\n          retention\n          cumulativeRevenuePerCustomer\n        }\n      }\n    }\n  }\n':rt,'\n  query Customer360($id: ID!) {\n    account(id: $id) {\n      id\n      name\n      kind\n      emails\n      phones\n      tags\n      lifecycleStage\n      acquisitionChannel\n      createdAt\n      metrics {\n        currency\n        ordersCount\n        revenue\n        margin\n        averageOrderValue\n        firstOrderAt\n        lastOrderAt\n        repeatPurchases\n        rfm {\n          r\n          f\n          m\n          segment\n          label\n        }\n        pAlive\n        churnProbability\n        riskBand\n        expectedOrders90d\n        expectedOrderValue\n        clv\n        spendModel\n        predictionsUnavailable\n      }\n      interactions(first: 12) {\n        nodes {\n          id\n          type\n          channel\n          direction\n          subject\n          occurredAt\n        }\n      }\n      orders(first: 12) {\n        nodes {\n          id\n          externalId\n          amount\n          currency\n          refundedAmount\n          status\n          occurredAt\n          channel\n        }\n      }\n    }\n    loyaltyBalance(accountId: $id) {\n      available\n      pending\n      expiringIn30Days\n      lifetimeEarned\n      tier {\n        name\n      }\n      nextTier {\n        name\n        missing\n      }\n    }\n    loyaltyLedger(accountId: $id, first: 6) {\n      nodes {\n        id\n        kind\n        points\n        reason\n        occurredAt\n      }\n    }\n    deals(first: 20, filter: { accountId: $id, status: "open" }) {\n      nodes {\n        id\n        title\n        amount\n        currency\n        stageId\n        expectedCloseOn\n      }\n    }\n    pipelines(first: 20) {\n      nodes {\n        stages {\n          id\n          name\n        }\n      }\n    }\n  }\n':it,'\n  query Customers($first: Int!, $after: String, $filter: AccountFilterInput, $withSegments: Boolean!) {\n    accounts(first: $first, after: $after, filter: $filter, sort: "name") {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        name\n        kind\n        lifecycleStage\n        emails\n        metrics {\n          ordersCount\n          revenue\n          clv\n          riskBand\n          rfm {\n            label\n          }\n        }\n      }\n    }\n    segments(first: 100) @include(if: $withSegments) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n':st,"\n  query Loyalty {\n    loyaltyProgram {\n      currency\n      active\n      earnRate {\n        numerator\n        denominator\n      }\n      qualification\n      qualificationWindowDays\n      expiryMonths\n      pendingDays\n      tiers {\n        name\n        threshold\n        multiplierPermille\n        benefits\n      }\n    }\n    loyaltyRewards(first: 100) {\n      nodes {\n        id\n        name\n        description\n        pointsCost\n        stock\n        availableUntil\n      }\n    }\n  }\n":at,'\n  query Overview($from: String!) {\n    valueDistribution {\n      currency\n      revenue {\n        customers\n        total\n        concentration {\n          topPercent\n          share\n        }\n      }\n      clv {\n        customers\n        total\n      }\n    }\n    churnReport(period: "month", from: $from) {\n      repeat {\n        repeatPurchaseRate\n      }\n      periods {\n        period\n        activeCustomers\n        newCustomers\n        churnRate\n      }\n      expected {\n        expectedChurnRate\n      }\n    }\n    atRiskAccounts(first: 5) {\n      nodes {\n        accountId\n        name\n        valueAtRisk\n        churnProbability\n      }\n    }\n  }\n':ot,'\n  query Board {\n    pipelines(first: 20) {\n      nodes {\n        id\n        name\n        stages {\n          id\n          name\n          kind\n          probability\n        }\n      }\n    }\n    deals(first: 500, filter: { status: "open" }) {\n      nodes {\n        id\n        title\n        amount\n        currency\n        pipelineId\n        stageId\n        version\n        expectedCloseOn\n      }\n    }\n  }\n':lt,"\n  mutation MoveDeal($id: ID!, $stageId: ID!, $ifVersion: Int, $lostReason: String, $key: String) {\n    moveDeal(id: $id, stageId: $stageId, ifVersion: $ifVersion, lostReason: $lostReason, idempotencyKey: $key) {\n      id\n      stageId\n      version\n      status\n    }\n  }\n":ct,"\n  query Segments {\n    segments(first: 100) {\n      nodes {\n        id\n        name\n        description\n        rule\n        tracked\n        createdAt\n      }\n    }\n  }\n":dt,"\n  query PreviewSegment($rule: JSON!) {\n    previewSegment(rule: $rule, sampleSize: 5) {\n      count\n      sample {\n        id\n        name\n      }\n    }\n  }\n":ut,"\n  mutation CreateSegment($input: SegmentInput!, $key: String) {\n    createSegment(input: $input, idempotencyKey: $key) {\n      id\n      name\n    }\n  }\n":ht,"\n  query Settings {\n    users(first: 100) {\n      nodes {\n        id\n        name\n        email\n        role\n        disabled\n        lastLoginAt\n      }\n    }\n    apiKeys(first: 100) {\n      nodes {\n        id\n        name\n        prefix\n        scopes\n        lastUsedAt\n        expiresAt\n        revokedAt\n      }\n    }\n    webhooks(first: 50) {\n      nodes {\n        id\n        url\n        description\n        eventTypes\n        enabled\n        disabledReason\n      }\n    }\n  }\n":mt,"\n  query WebhookDeliveries($id: ID!) {\n    webhookDeliveries(webhookId: $id, first: 20) {\n      nodes {\n        id\n        eventType\n        attempt\n        trigger\n        outcome\n        statusCode\n        latencyMs\n        error\n        createdAt\n      }\n    }\n  }\n":pt,"\n  query Value {\n    rfmSegments {\n      currency\n      breakpointsFittedAt\n      scoredAccounts\n      unscoredAccounts\n      segments {\n        segment\n        label\n        accounts\n        revenue\n        shareOfAccounts\n        shareOfRevenue\n      }\n    }\n    valueDistribution {\n      currency\n      clv {\n        customers\n        histogram {\n          lower\n          upper\n          customers\n        }\n      }\n    }\n    atRiskAccounts(first: 20) {\n      nodes {\n        accountId\n        name\n        valueAtRisk\n        churnProbability\n        riskBand\n        clv\n        revenue\n        segment\n      }\n    }\n  }\n":ft};function L(n){return _t[n]??{}}function Ie({values:n,label:t}){if(n.length<2)return null;const i=Math.max(...n),a=Math.min(...n),o=i-a||1,l=n.map((c,u)=>`${(u/(n.length-1)*120).toFixed(1)},${(30-(c-a)/o*28).toFixed(1)}`).join(" ");return e("svg",{class:"spark",viewBox:"0 0 120 32",width:120,height:32,role:"img","aria-label":t,children:e("polyline",{points:l,fill:"none",stroke:"currentColor","stroke-width":"1.5"})})}function gt({bars:n,label:t,height:r=140}){const i=Math.max(240,n.length*72),a=Math.max(1,...n.map(o=>o.value));return e("svg",{class:"chart",viewBox:`0 0 ${i} ${r+36}`,role:"img","aria-label":`${t}. ${n.map(o=>`${o.label}: ${o.text}`).join("; ")}`,children:n.map((o,l)=>{const c=o.value/a*(r-16);return e("g",{children:[e("title",{children:`${o.label}: ${o.text}`}),e("rect",{x:l*72+4,y:r-c,width:64,height:c,class:"bar"}),e("text",{x:l*72+72/2,y:r-c-4,"text-anchor":"middle",class:"tick",children:o.text}),e("text",{x:l*72+72/2,y:r+16,"text-anchor":"middle",class:"tick",children:o.label})]},`${l}-${o.label}`)})})}function yt({value:n,label:t,tone:r}){return e("svg",{class:`meter ${r}`,viewBox:"0 0 200 12",width:200,height:12,role:"img","aria-label":`${t}: ${U(n)}`,children:[e("rect",{x:"0",y:"0",width:200,height:"12",rx:"6",class:"track"}),e("rect",{x:"0",y:"0",width:Math.max(0,Math.min(1,n))*200,height:"12",rx:"6",class:"fill"})]})}const vt=[["new","potential_loyalist","potential_loyalist","champions","champions"],["promising","potential_loyalist","potential_loyalist","loyal","champions"],["about_to_sleep","about_to_sleep","need_attention","loyal","loyal"],["hibernating","hibernating","at_risk","at_risk","at_risk"],["lost","lost","at_risk","cant_lose_them","cant_lose_them"]];function bt({cells:n,onPick:t}){const i=new Map(n.map(c=>[c.segment,c])),a=Math.max(1e-4,...n.map(c=>c.shareOfRevenue)),o=new Set,l=n.map(c=>`${c.label}: ${c.accounts} customers, ${pe(c.revenue)}`).join("; ");return e("svg",{class:"chart rfm",viewBox:"0 0 512 512",role:"img","aria-label":`RFM grid. ${l}`,children:[vt.map((c,u)=>c.map((h,_)=>{const d=i.get(h),f=d?d.shareOfRevenue/a:0,v=!o.has(h);o.add(h);const C=28+_*96,$=u*96;return e("g",{class:t?"pick":void 0,onClick:()=>t?.(h),children:[e("title",{children:d?`${d.label}: ${d.accounts} customers, ${pe(d.revenue)} revenue`:h}),e("rect",{x:C+1,y:$+1,width:94,height:94,fill:`hsl(210 70% ${Math.round(96-f*58)}%)`}),v&&d&&e(J,{children:[e("text",{x:C+6,y:$+18,class:f>.55?"cell light":"cell",children:d.label}),e("text",{x:C+6,y:$+36,class:f>.55?"cell light":"cell",children:[d.accounts," customers"]}),e("text",{x:C+6,y:$+52,class:f>.55?"cell light":"cell",children:pe(d.revenue)})]})]},`${u}-${_}`)})),[5,4,3,2,1].map((c,u)=>e("text",{x:10,y:u*96+96/2+4,class:"tick","text-anchor":"middle",children:`R${c}`},`r${c}`)),[1,2,3,4,5].map((c,u)=>e("text",{x:28+u*96+96/2,y:498,class:"tick","text-anchor":"middle",children:`FM${c}`},`fm${c}`))]})}function wt({rows:n,label:t}){const a=n.flatMap(_=>[_.estimate,_.low??_.estimate,_.high??_.estimate,0]),o=Math.min(...a),c=Math.max(...a)-o||1,u=_=>160+(_-o)/c*340,h=n.length*30+24;return e("svg",{class:"chart interval",viewBox:`0 0 520 ${h}`,role:"img","aria-label":`${t}. ${n.map(_=>`${_.label}: ${_.text}`).join("; ")}`,children:[e("line",{x1:u(0),x2:u(0),y1:0,y2:n.length*30,class:"zero"}),e("text",{x:u(0),y:h-6,"text-anchor":"middle",class:"tick",children:"0"}),n.map((_,d)=>{const f=d*30+15;return e("g",{children:[e("title",{children:`${_.label}: ${_.text}`}),e("text",{x:0,y:f+4,class:"tick",children:_.label}),_.low!=null&&_.high!=null&&e("line",{x1:u(_.low),x2:u(_.high),y1:f,y2:f,class:"ci"}),_.low!=null&&e("line",{x1:u(_.low),x2:u(_.low),y1:f-6,y2:f+6,class:"ci"}),_.high!=null&&e("line",{x1:u(_.high),x2:u(_.high),y1:f-6,y2:f+6,class:"ci"}),e("circle",{cx:u(_.estimate),cy:f,r:5,class:_.low!=null&&_.low>0?"est good":"est"})]},_.label)})]})}function kt({rows:n,columns:t,label:r}){const o=130+t.length*52,l=22+n.length*26;return e("svg",{class:"chart heat",viewBox:`0 0 ${o} ${l}`,role:"img","aria-label":r,children:[t.map((c,u)=>e("text",{x:130+u*52+52/2,y:14,"text-anchor":"middle",class:"tick",children:c},c)),n.map((c,u)=>e("g",{children:[e("text",{x:0,y:22+u*26+17,class:"tick",children:[c.label," ",e("tspan",{class:"muted",children:c.note})]}),c.cells.map((h,_)=>e("g",{children:[e("title",{children:h.title}),e("rect",{x:130+_*52+1,y:22+u*26+1,width:50,height:24,fill:`hsl(160 55% ${Math.round(97-Math.min(1,h.value)*62)}%)`}),e("text",{x:130+_*52+52/2,y:22+u*26+17,"text-anchor":"middle",class:h.value>.55?"cell light":"cell",children:h.text})]},_))]},c.label))]})}const re="/console";function sn(){const n=location.pathname.startsWith(re)?location.pathname.slice(re.length):"/";return n===""?"/":n}const be=new Set;window.addEventListener("popstate",()=>be.forEach(n=>n()));function Rn(n){history.pushState(null,"",re+n),be.forEach(t=>t()),window.scrollTo(0,0)}function $t(){const[n,t]=k(sn());return K(()=>{const r=()=>t(sn());return be.add(r),()=>be.delete(r)},[]),n}function Ct(n){const t=n.currentTarget??null;if(!t||n.defaultPrevented||n.button!==0||n.metaKey||n.ctrlKey||n.shiftKey||n.altKey)return;const r=t.getAttribute("href")??"";r.startsWith(re)&&(n.preventDefault(),Rn(r.slice(re.length)||"/"))}const Pn=Fn(null);function Ce(){const n=Wn(Pn);if(!n)throw new Error("no session");return n}function He(n,t){switch(t){case"deals":case"segments":return["owner","admin","manager","agent"].includes(n.role);case"campaigns":return["owner","admin","manager"].includes(n.role)}}function Q(n){return e("a",{href:re+n.href,onClick:Ct,class:n.class,"aria-current":n["aria-current"],children:n.children})}function W({what:n}){return e("p",{class:"state loading",role:"status","aria-live":"polite",children:["Loading ",n,"…"]})}function O({children:n}){return e("p",{class:"state empty",children:n})}function V({error:n,retry:t}){return e("div",{class:"state error",role:"alert",children:[e("p",{children:ie(n)}),t&&e("button",{type:"button",onClick:t,children:"Try again"})]})}function ie(n){return n instanceof Y?n.message:"Something went wrong in the console. Reload the page and try again."}function j(n,t){const[r,s]=k({status:"loading"}),[i,a]=k(0),o=se(0);K(()=>{const c=++o.current;s(u=>u.status==="ok"&&i>0?u:{status:"loading"}),n().then(u=>c===o.current&&s({status:"ok",data:u}),u=>c===o.current&&s({status:"error",error:u}))},[t,i]);const l=Hn(()=>a(c=>c+1),[]);return{...r,reload:l}}function E({title:n,children:t,actions:r}){return K(()=>{document.title=`${n} · Rapport`},[n]),e("section",{class:"page","aria-labelledby":"page-title",children:[e("header",{class:"page-head",children:[e("h1",{id:"page-title",children:n}),r]}),t]})}const xt=L(`
  query Campaigns {
    campaigns(first: 100) {
      nodes {
        id
        name
        channel
        status
        segmentId
        launchedAt
        endsAt
        controlShare
        audience {
          eligible
          treated
          control
        }
      }
    }
    segments(first: 100) {
      nodes {
        id
        name
      }
    }
  }
`),St=L(`
  query CampaignResults($id: ID!) {
    campaignResults(id: $id) {
      status
      currency
      windowStart
      windowEnd
      windowOpen
      cost
      romi
      total {
        ...ArmComparisonParts
      }
      byRfmSegment {
        ...ArmComparisonParts
      }
    }
  }
  fragment ArmComparisonParts on ArmComparison {
    group
    incrementalRevenue
    incrementalMargin
    significance
    treatment {
      members
      buyers
      conversionRate
      revenuePerMember
    }
    control {
      members
      buyers
      conversionRate
      revenuePerMember
    }
    conversionUplift {
      difference
      relative
      ciLow
      ciHigh
      pValue
      significance
    }
  }
`),At=L(`
  mutation CreateCampaign($input: CampaignInput!, $key: String) {
    createCampaign(input: $input, idempotencyKey: $key) {
      id
      name
    }
  }
`),It=L(`
  mutation LaunchCampaign($id: ID!, $key: String) {
    launchCampaign(id: $id, idempotencyKey: $key) {
      id
      status
      audience {
        treated
        control
      }
    }
  }
`),Rt=["in_store","call","direct_mail","email","sms","push"];function Pt({id:n}){const t=j(()=>N(St,{id:n}),n);if(t.status==="loading")return e(W,{what:"results"});if(t.status==="error")return e(V,{error:t.error,retry:t.reload});const r=t.data.campaignResults,s=r.total,i=[s,...r.byRfmSegment.filter(o=>o.treatment.members>0)].map(o=>({label:o.group==="all"?"All members":q(o.group),estimate:o.conversionUplift.difference*100,low:o.conversionUplift.ciLow==null?null:o.conversionUplift.ciLow*100,high:o.conversionUplift.ciHigh==null?null:o.conversionUplift.ciHigh*100,text:`${(o.conversionUplift.difference*100).toFixed(1)} points`+(o.conversionUplift.ciLow!=null&&o.conversionUplift.ciHigh!=null?` (95 % interval ${(o.conversionUplift.ciLow*100).toFixed(1)} to ${(o.conversionUplift.ciHigh*100).toFixed(1)})`:" (too few members for an interval)")})),a=s.conversionUplift;return e("div",{"data-testid":"results",children:[e("p",{children:[r.windowOpen?"The attribution window is still open (figures will move): ":"Final results: ",U(s.treatment.conversionRate,1)," of treated members bought against ",U(s.control.conversionRate,1)," in the control group, an uplift of ",e("strong",{children:[(a.difference*100).toFixed(1)," percentage points"]}),a.ciLow!=null&&a.ciHigh!=null?` (95 % interval ${(a.ciLow*100).toFixed(1)} to ${(a.ciHigh*100).toFixed(1)})`:"",", which is"," ",a.significance==="significant"?"statistically significant":a.significance==="not_significant"?"not statistically significant":"not yet measurable (too little data)","."]}),e(wt,{rows:i,label:"Conversion uplift in percentage points with 95 % intervals"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Incremental revenue"}),e("dd",{children:R(s.incrementalRevenue,r.currency)})]}),e("div",{children:[e("dt",{children:"Incremental margin"}),e("dd",{children:R(s.incrementalMargin,r.currency)})]}),e("div",{children:[e("dt",{children:"Cost"}),e("dd",{children:R(r.cost,r.currency)})]}),e("div",{children:[e("dt",{children:"ROMI"}),e("dd",{children:r.romi==null?"free campaign":U(r.romi)})]})]}),e("p",{class:"muted small",children:["Window ",B(r.windowStart)," to ",B(r.windowEnd)," · ",D(s.treatment.members)," treated, ",D(s.control.members)," in control."]})]})}function Dt({selected:n}){const t=Ce(),r=He(t,"campaigns"),s=j(()=>N(xt),"campaigns"),[i,a]=k(""),[o,l]=k(""),[c,u]=k("in_store"),[h,_]=k("10"),[d,f]=k(!1),[v,C]=k(null);if(s.status==="loading")return e(W,{what:"campaigns"});if(s.status==="error")return e(V,{error:s.error,retry:s.reload});const{campaigns:$,segments:x}=s.data,y=new Map(x.nodes.map(m=>[m.id,m.name])),p=$.nodes.find(m=>m.id===n)??null,w=async m=>{m.preventDefault(),f(!0),C(null);try{const g=Number(h)/100,A=await N(At,{input:{name:i.trim(),segmentId:o||(x.nodes[0]?.id??""),channel:c,controlShare:g,costFixed:0,costPerContact:0},key:ve()});C({ok:!0,text:`Draft “${A.createCampaign.name}” created. Launch it when ready.`}),a(""),s.reload()}catch(g){C({ok:!1,text:ie(g)})}finally{f(!1)}},b=async(m,g)=>{f(!0),C(null);try{const F=(await N(It,{id:m,key:ve()})).launchCampaign.audience;C({ok:!0,text:`“${g}” launched: ${F?`${D(F.treated)} customers treated, ${D(F.control)} held out as control`:"audience drawn"}.`}),s.reload()}catch(A){C({ok:!1,text:ie(A)})}finally{f(!1)}};return e(E,{title:"Campaigns",children:[e("div",{"aria-live":"polite",children:v&&e("p",{class:`notice ${v.ok?"ok":"conflict"}`,role:v.ok?"status":"alert","data-testid":"campaign-notice",children:v.text})}),e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"list-h",children:[e("h2",{id:"list-h",children:"All campaigns"}),$.nodes.length===0?e(O,{children:"No campaign yet."}):e("table",{class:"list","aria-labelledby":"list-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Name"}),e("th",{scope:"col",children:"Segment"}),e("th",{scope:"col",children:"Channel"}),e("th",{scope:"col",children:"Status"}),e("th",{scope:"col",class:"num",children:"Treated / control"}),e("th",{scope:"col",children:e("span",{class:"muted small",children:"Action"})})]})}),e("tbody",{children:$.nodes.map(m=>e("tr",{children:[e("td",{children:m.status==="draft"?m.name:e(Q,{href:`/campaigns/${encodeURIComponent(m.id)}`,children:m.name})}),e("td",{children:y.get(m.segmentId)??"—"}),e("td",{children:q(m.channel)}),e("td",{children:[q(m.status),m.launchedAt?` ${B(m.launchedAt)}`:""]}),e("td",{class:"num",children:m.audience?`${D(m.audience.treated)} / ${D(m.audience.control)}`:"—"}),e("td",{children:[m.status==="draft"&&r&&e("button",{type:"button",disabled:d,onClick:()=>{b(m.id,m.name)},children:["Launch “",m.name,"”"]}),m.status!=="draft"&&e("button",{type:"button",class:"secondary",onClick:()=>Rn(`/campaigns/${encodeURIComponent(m.id)}`),children:"Results"})]})]},m.id))})]})]}),p&&p.status!=="draft"&&e("article",{class:"card wide","aria-labelledby":"results-h",children:[e("h2",{id:"results-h",children:["Results: ",p.name]}),e(Pt,{id:p.id})]}),r&&e("article",{class:"card","aria-labelledby":"new-h",children:[e("h2",{id:"new-h",children:"New campaign"}),x.nodes.length===0?e(O,{children:["A campaign targets a segment: ",e(Q,{href:"/segments",children:"build one first"}),"."]}):e("form",{onSubmit:m=>{w(m)},class:"rule",children:[e("label",{children:["Name",e("input",{name:"campaign-name",required:!0,maxLength:200,value:i,onInput:m=>a(m.currentTarget.value)})]}),e("label",{children:["Segment",e("select",{name:"campaign-segment",value:o||x.nodes[0]?.id,onChange:m=>l(m.currentTarget.value),children:x.nodes.map(m=>e("option",{value:m.id,children:m.name},m.id))})]}),e("label",{children:["Channel",e("select",{value:c,onChange:m=>u(m.currentTarget.value),children:Rt.map(m=>e("option",{value:m,children:q(m)},m))})]}),e("label",{children:["Control group (% held out)",e("input",{type:"number",min:1,max:90,value:h,onInput:m=>_(m.currentTarget.value)})]}),e("button",{type:"submit",disabled:d||!i.trim(),children:"Create draft"})]})]})]})]})}const Tt=L(`
  query Cohorts($from: String!) {
    cohortReport(period: "month", from: $from) {
      currency
      cohorts {
        cohort
        customers
        periods {
          periodNumber
          period
          activeCustomers
          retention
          cumulativeRevenuePerCustomer
        }
      }
    }
  }
`);function Mt(n){const t=new Date;return t.setUTCDate(1),t.setUTCMonth(t.getUTCMonth()-n),t.toISOString().slice(0,10)}function qt(){const n=j(()=>N(Tt,{from:Mt(12)}),"cohorts");if(n.status==="loading")return e(W,{what:"cohorts"});if(n.status==="error")return e(V,{error:n.error,retry:n.reload});const t=n.data.cohortReport,r=t.cohorts.filter(i=>i.customers>0),s=Math.max(0,...r.map(i=>i.periods.length));return e(E,{title:"Cohorts",children:r.length===0?e(O,{children:"No first purchases in the last twelve months."}):e("article",{class:"card","aria-labelledby":"cohort-h",children:[e("h2",{id:"cohort-h",children:"Retention by month of first purchase"}),e("p",{class:"muted small",children:"Each row is the customers who first bought in that month; each cell, the share of them who bought again that many months later (month 0 is their first)."}),e(kt,{label:`Monthly retention of ${r.length} cohorts`,columns:Array.from({length:s},(i,a)=>`M${a}`),rows:r.map(i=>({label:i.cohort,note:`(${i.customers})`,cells:i.periods.map(a=>({value:a.retention,text:U(a.retention),title:`${i.cohort}, month ${a.periodNumber} (${a.period}): ${a.activeCustomers} of ${i.customers} bought (${U(a.retention,1)}); ${R(a.cumulativeRevenuePerCustomer,t.currency)} revenue per customer so far`}))}))})]})})}const Nt=L(`
  query Customer360($id: ID!) {
    account(id: $id) {
      id
      name
      kind
      emails
      phones
      tags
      lifecycleStage
      acquisitionChannel
      createdAt
      metrics {
        currency
        ordersCount
        revenue
        margin
        averageOrderValue
        firstOrderAt
        lastOrderAt
        repeatPurchases
        rfm {
          r
          f
          m
          segment
          label
        }
        pAlive
        churnProbability
        riskBand
        expectedOrders90d
        expectedOrderValue
        clv
        spendModel
        predictionsUnavailable
      }
      interactions(first: 12) {
        nodes {
          id
          type
          channel
          direction
          subject
          occurredAt
        }
      }
      orders(first: 12) {
        nodes {
          id
          externalId
          amount
          currency
          refundedAmount
          status
          occurredAt
          channel
        }
      }
    }
    loyaltyBalance(accountId: $id) {
      available
      pending
      expiringIn30Days
      lifetimeEarned
      tier {
        name
      }
      nextTier {
        name
        missing
      }
    }
    loyaltyLedger(accountId: $id, first: 6) {
      nodes {
        id
        kind
        points
        reason
        occurredAt
      }
    }
    deals(first: 20, filter: { accountId: $id, status: "open" }) {
      nodes {
        id
        title
        amount
        currency
        stageId
        expectedCloseOn
      }
    }
    pipelines(first: 20) {
      nodes {
        stages {
          id
          name
        }
      }
    }
  }
`),Ot={healthy:"Healthy: very likely still buying.",watch:"Watch: buying less often than their own habit suggests.",at_risk:"At risk: a long silence for someone who used to buy; worth a nudge now.",lost:"Lost: most probably no longer a customer."},an={no_orders:"has not bought anything yet, so there is nothing to predict from",model_not_fitted:"has no predictions yet because the value model has not been fitted (an admin can fit it)",spend_model_not_fitted:"has purchase predictions but no money ones: the spend model was fitted when nobody had bought twice"};function Lt(n,t){if(t.predictionsUnavailable&&t.pAlive==null)return[`${n} ${an[t.predictionsUnavailable]??"has no predictions yet"}.`];const r=[];return t.pAlive!=null&&r.push(`There is a ${U(t.pAlive)} chance that ${n} is still an active customer (so a ${U(t.churnProbability??1-t.pAlive)} churn probability), judged from how often they bought (${t.repeatPurchases} repeat purchase days) and how long it has been since the last order (${In(t.lastOrderAt)}).`),t.expectedOrders90d!=null&&r.push(`In the next 90 days we expect about ${t.expectedOrders90d.toFixed(1)} orders from them.`),t.clv!=null?r.push(`Their customer lifetime value is ${R(t.clv,t.currency)}: the margin we expect them to bring over the next 12 months, discounted to today${t.expectedOrderValue!=null?`, at about ${R(t.expectedOrderValue,t.currency)} an order`:""}.`):t.predictionsUnavailable&&r.push(`No CLV: ${n} ${an[t.predictionsUnavailable]??"has no money predictions"}.`),r}function Ut(n){return n==="healthy"?"good":n==="watch"?"warn":"bad"}function Bt({id:n}){const t=j(()=>(performance.clearMarks("customer-360:start"),performance.mark("customer-360:start"),N(Nt,{id:n})),n);if(K(()=>{t.status==="ok"&&requestAnimationFrame(()=>{performance.clearMeasures("customer-360"),performance.measure("customer-360","customer-360:start")})},[t.status,n]),t.status==="loading")return e(W,{what:"the customer"});if(t.status==="error")return e(V,{error:t.error,retry:t.reload});const{account:r,loyaltyBalance:s,loyaltyLedger:i,deals:a,pipelines:o}=t.data;if(!r)return e(E,{title:"Customer not found",children:e(O,{children:["There is no such customer in this workspace. ",e(Q,{href:"/customers",children:"Back to customers"}),"."]})});const l=r.metrics,c=new Map(o.nodes.flatMap(h=>h.stages.map(_=>[_.id,_.name]))),u=[...r.interactions.nodes.map(h=>({at:h.occurredAt,key:`i${h.id}`,what:`${q(h.type)}${h.channel?` · ${h.channel}`:""}${h.direction?` · ${h.direction}`:""}`,text:h.subject??""})),...r.orders.nodes.map(h=>({at:h.occurredAt,key:`o${h.id}`,what:`Order${h.channel?` · ${h.channel}`:""}`,text:`${R(h.amount,h.currency)}${h.status!=="completed"?` (${q(h.status).toLowerCase()})`:""}`}))].sort((h,_)=>h.at<_.at?1:-1);return e(E,{title:r.name,children:[e("p",{class:"muted",children:[q(r.kind)," · ",q(r.lifecycleStage)," · customer since ",B(r.createdAt),r.acquisitionChannel?` · came through ${r.acquisitionChannel}`:"",r.emails.length>0?` · ${r.emails.join(", ")}`:""]}),e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"value-h",children:[e("h2",{id:"value-h",children:"Value"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"CLV (12 months)"}),e("dd",{"data-testid":"clv",children:R(l.clv,l.currency)})]}),e("div",{children:[e("dt",{children:"Revenue to date"}),e("dd",{children:R(l.revenue,l.currency)})]}),e("div",{children:[e("dt",{children:"Orders"}),e("dd",{children:D(l.ordersCount)})]}),e("div",{children:[e("dt",{children:"Average order"}),e("dd",{children:R(l.averageOrderValue,l.currency)})]}),e("div",{children:[e("dt",{children:"Last order"}),e("dd",{children:In(l.lastOrderAt)})]})]}),l.pAlive!=null&&e("div",{class:"meters",children:[e("span",{children:"Still active"})," ",e(yt,{value:l.pAlive,label:"Probability still active",tone:Ut(l.riskBand)})," ",e("strong",{children:U(l.pAlive)})]}),e("div",{class:"explain","data-testid":"explain",children:Lt(r.name,l).map(h=>e("p",{children:h},h))})]}),e("article",{class:"card","aria-labelledby":"rfm-h",children:[e("h2",{id:"rfm-h",children:"RFM and risk"}),l.rfm?e(J,{children:[e("p",{class:"big",children:l.rfm.label}),e("p",{children:["Recency ",l.rfm.r,"/5 · Frequency ",l.rfm.f,"/5 · Monetary ",l.rfm.m,"/5"]})]}):e("p",{class:"muted",children:"Not scored yet (no orders, or the breakpoints are not fitted)."}),l.riskBand&&e("p",{children:[e("span",{class:`band ${l.riskBand}`,children:q(l.riskBand)})," ",Ot[l.riskBand]??""]})]}),e("article",{class:"card","aria-labelledby":"loyalty-h",children:[e("h2",{id:"loyalty-h",children:"Loyalty"}),s?e(J,{children:[e("p",{class:"big",children:[D(s.available)," points"]}),e("p",{children:[s.tier?`${s.tier.name} tier`:"No tier yet",s.nextTier?` · ${D(s.nextTier.missing)} to ${s.nextTier.name}`:""]}),e("p",{class:"muted small",children:[D(s.pending)," pending · ",D(s.expiringIn30Days)," expiring within 30 days · ",D(s.lifetimeEarned)," earned in all"]}),i.nodes.length>0&&e("table",{class:"list compact","aria-label":"Latest loyalty ledger entries",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Date"}),e("th",{scope:"col",children:"Entry"}),e("th",{scope:"col",class:"num",children:"Points"})]})}),e("tbody",{children:i.nodes.map(h=>e("tr",{children:[e("td",{children:B(h.occurredAt)}),e("td",{children:[q(h.kind),h.reason?` · ${h.reason}`:""]}),e("td",{class:"num",children:ne(h.points)>0?`+${D(h.points)}`:D(h.points)})]},h.id))})]})]}):e("p",{class:"muted",children:"Not a loyalty member (or no programme)."})]}),e("article",{class:"card","aria-labelledby":"deals-h",children:[e("h2",{id:"deals-h",children:"Open deals"}),a.nodes.length===0?e("p",{class:"muted",children:"No open deal."}):e("ul",{class:"plain",children:a.nodes.map(h=>e("li",{children:[e("strong",{children:h.title})," · ",R(h.amount,h.currency)," · ",c.get(h.stageId)??"stage",h.expectedCloseOn?` · closes ${B(h.expectedCloseOn)}`:""]},h.id))})]}),e("article",{class:"card wide","aria-labelledby":"timeline-h",children:[e("h2",{id:"timeline-h",children:"Timeline"}),u.length===0?e("p",{class:"muted",children:"Nothing has happened with this customer yet."}):e("ol",{class:"timeline",children:u.map(h=>e("li",{children:[e("time",{dateTime:h.at,children:B(h.at)})," ",e("strong",{children:h.what})," ",h.text]},h.key))})]}),e("article",{class:"card wide","aria-labelledby":"orders-h",children:[e("h2",{id:"orders-h",children:"Recent orders"}),r.orders.nodes.length===0?e("p",{class:"muted",children:"No orders."}):e("table",{class:"list","aria-labelledby":"orders-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Date"}),e("th",{scope:"col",children:"Reference"}),e("th",{scope:"col",children:"Channel"}),e("th",{scope:"col",children:"Status"}),e("th",{scope:"col",class:"num",children:"Amount"})]})}),e("tbody",{children:r.orders.nodes.map(h=>e("tr",{children:[e("td",{children:B(h.occurredAt)}),e("td",{children:h.externalId??"—"}),e("td",{children:h.channel??"—"}),e("td",{children:q(h.status)}),e("td",{class:"num",children:R(h.amount,h.currency)})]},h.id))})]})]})]})]})}const Ft=L(`
  query Customers($first: Int!, $after: String, $filter: AccountFilterInput, $withSegments: Boolean!) {
    accounts(first: $first, after: $after, filter: $filter, sort: "name") {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        kind
        lifecycleStage
        emails
        metrics {
          ordersCount
          revenue
          clv
          riskBand
          rfm {
            label
          }
        }
      }
    }
    segments(first: 100) @include(if: $withSegments) {
      nodes {
        id
        name
      }
    }
  }
`),Et=50;function Vt(){const[n,t]=k(""),[r,s]=k(""),[i,a]=k(""),[o,l]=k(null),[c,u]=k([]),[h,_]=k(null),[d,f]=k(!1),[v,C]=k("loading"),[$,x]=k(null),y=se(0),p=se(null),w=se(!1),b=se({generation:0,cursor:null});K(()=>{const g=setTimeout(()=>s(n.trim()),250);return()=>clearTimeout(g)},[n]);const m=async g=>{const A=y.current;w.current=!0;try{const F={...r?{q:r}:{},...i?{segmentId:i}:{}},I=await N(Ft,{first:Et,after:g,filter:F,withSegments:o===null});if(A!==y.current)return;I.segments&&l(I.segments.nodes),u(H=>{if(!g)return I.accounts.nodes;const Dn=new Set(H.map(xe=>xe.id));return[...H,...I.accounts.nodes.filter(xe=>!Dn.has(xe.id))]}),b.current={generation:A,cursor:I.accounts.pageInfo.endCursor??null},_(I.accounts.pageInfo.endCursor??null),f(I.accounts.pageInfo.hasNextPage),C("ok")}catch(F){if(A!==y.current)return;x(F),C("error")}finally{A===y.current&&(w.current=!1)}};return K(()=>{y.current++,w.current=!1,b.current={generation:y.current,cursor:null},f(!1),_(null),C("loading"),u([]),m(null)},[r,i]),K(()=>{const g=p.current;if(!g||!d)return;const A=new IntersectionObserver(F=>{const I=b.current;F.some(H=>H.isIntersecting)&&!w.current&&I.cursor&&I.generation===y.current&&m(I.cursor)});return A.observe(g),()=>A.disconnect()},[d,h,c.length]),e(E,{title:"Customers",children:[e("form",{class:"filters",role:"search",onSubmit:g=>g.preventDefault(),children:[e("label",{children:["Search",e("input",{type:"search",name:"q",placeholder:"Name, e-mail or phone",value:n,onInput:g=>t(g.currentTarget.value)})]}),e("label",{children:["Segment",e("select",{name:"segment",value:i,onChange:g=>a(g.currentTarget.value),children:[e("option",{value:"",children:"All customers"}),(o??[]).map(g=>e("option",{value:g.id,children:g.name},g.id))]})]})]}),v==="loading"&&e(W,{what:"customers"}),v==="error"&&e(V,{error:$,retry:()=>{m(null)}}),v==="ok"&&c.length===0&&e(O,{children:["No customer matches ",r?`“${r}”`:"this filter","."]}),c.length>0&&e("table",{class:"list","aria-label":"Customers",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Name"}),e("th",{scope:"col",children:"Stage"}),e("th",{scope:"col",children:"RFM segment"}),e("th",{scope:"col",class:"num",children:"Orders"}),e("th",{scope:"col",class:"num",children:"Revenue"}),e("th",{scope:"col",class:"num",children:"CLV (12 months)"}),e("th",{scope:"col",children:"Risk"})]})}),e("tbody",{children:c.map(g=>e("tr",{children:[e("td",{children:[e(Q,{href:`/customers/${encodeURIComponent(g.id)}`,children:g.name}),e("div",{class:"muted small",children:g.emails[0]??q(g.kind)})]}),e("td",{children:q(g.lifecycleStage)}),e("td",{children:g.metrics.rfm?.label??"—"}),e("td",{class:"num",children:g.metrics.ordersCount}),e("td",{class:"num",children:R(g.metrics.revenue)}),e("td",{class:"num",children:R(g.metrics.clv)}),e("td",{children:g.metrics.riskBand?e("span",{class:`band ${g.metrics.riskBand}`,children:q(g.metrics.riskBand)}):"—"})]},g.id))})]}),e("div",{ref:p,class:"sentinel","aria-hidden":"true"}),d&&v==="ok"&&e("p",{class:"muted small",children:"Scroll for more…"})]})}const Ht=L(`
  query Loyalty {
    loyaltyProgram {
      currency
      active
      earnRate {
        numerator
        denominator
      }
      qualification
      qualificationWindowDays
      expiryMonths
      pendingDays
      tiers {
        name
        threshold
        multiplierPermille
        benefits
      }
    }
    loyaltyRewards(first: 100) {
      nodes {
        id
        name
        description
        pointsCost
        stock
        availableUntil
      }
    }
  }
`);function Wt(){const n=j(()=>N(Ht),"loyalty");if(n.status==="loading")return e(W,{what:"the loyalty programme"});if(n.status==="error")return e(V,{error:n.error,retry:n.reload});const{loyaltyProgram:t,loyaltyRewards:r}=n.data;if(!t)return e(E,{title:"Loyalty",children:e(O,{children:"There is no loyalty programme in this workspace yet."})});const s=i=>t.qualification==="spend"?R(i,t.currency):`${D(i)} points`;return e(E,{title:"Loyalty",children:e("div",{class:"grid",children:[e("article",{class:"card","aria-labelledby":"prog-h",children:[e("h2",{id:"prog-h",children:"Programme"}),e("p",{children:[t.active?"Active":"Paused (nothing is earned; balances can still be spent)",": ",t.earnRate.numerator," point",t.earnRate.numerator===1?"":"s"," for every ",R(t.earnRate.denominator,t.currency)," spent."]}),e("p",{children:["Points can be spent ",t.pendingDays," days after the order (the return window)",t.expiryMonths?` and expire ${t.expiryMonths} months after they were earned`:" and never expire","."]}),e("p",{children:["Tiers follow ",t.qualification==="spend"?"spend":"points earned"," over the last ",t.qualificationWindowDays," days."]})]}),e("article",{class:"card","aria-labelledby":"tiers-h",children:[e("h2",{id:"tiers-h",children:"Tiers"}),t.tiers.length===0?e(O,{children:"No tiers."}):e("ul",{class:"plain",children:t.tiers.map(i=>e("li",{children:[e("strong",{children:i.name})," from ",s(i.threshold)," · earns ×",(i.multiplierPermille/1e3).toFixed(2),i.benefits?e("div",{class:"small muted",children:i.benefits}):null]},i.name))})]}),e("article",{class:"card wide","aria-labelledby":"rewards-h",children:[e("h2",{id:"rewards-h",children:"Rewards"}),r.nodes.length===0?e(O,{children:"The catalog is empty."}):e("table",{class:"list","aria-labelledby":"rewards-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Reward"}),e("th",{scope:"col",class:"num",children:"Points"}),e("th",{scope:"col",class:"num",children:"Stock"}),e("th",{scope:"col",children:"Available until"})]})}),e("tbody",{children:r.nodes.map(i=>e("tr",{children:[e("td",{children:[i.name,i.description?e("div",{class:"small muted",children:i.description}):null]}),e("td",{class:"num",children:D(i.pointsCost)}),e("td",{class:"num",children:i.stock==null?"unlimited":D(i.stock)}),e("td",{children:i.availableUntil?B(i.availableUntil):"no end"})]},i.id))})]})]})]})})}const jt=L(`
  query Overview($from: String!) {
    valueDistribution {
      currency
      revenue {
        customers
        total
        concentration {
          topPercent
          share
        }
      }
      clv {
        customers
        total
      }
    }
    churnReport(period: "month", from: $from) {
      repeat {
        repeatPurchaseRate
      }
      periods {
        period
        activeCustomers
        newCustomers
        churnRate
      }
      expected {
        expectedChurnRate
      }
    }
    atRiskAccounts(first: 5) {
      nodes {
        accountId
        name
        valueAtRisk
        churnProbability
      }
    }
  }
`);function Kt(){const n=new Date;return n.setUTCFullYear(n.getUTCFullYear()-1),n.setUTCDate(1),n.toISOString().slice(0,10)}function zt(){const n=j(()=>N(jt,{from:Kt()}),"overview");if(n.status==="loading")return e(W,{what:"the overview"});if(n.status==="error")return e(V,{error:n.error,retry:n.reload});const{valueDistribution:t,churnReport:r,atRiskAccounts:s}=n.data,i=r.periods,a=i[i.length-1],o=t.revenue.concentration.find(l=>l.topPercent===10);return e(E,{title:"Overview",children:t.revenue.customers===0?e(O,{children:"No orders yet: the figures appear with the first purchases."}):e("div",{class:"grid",children:[e("article",{class:"card kpi-card","aria-labelledby":"k-customers",children:[e("h2",{id:"k-customers",children:"Buying customers"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"All time"}),e("dd",{children:D(t.revenue.customers)})]}),e("div",{children:[e("dt",{children:"Active last month"}),e("dd",{children:[a?D(a.activeCustomers):"—",e(Ie,{values:i.map(l=>l.activeCustomers),label:"Active customers per month, last 12 months"})]})]})]})]}),e("article",{class:"card kpi-card","aria-labelledby":"k-revenue",children:[e("h2",{id:"k-revenue",children:"Revenue and value"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Net revenue"}),e("dd",{children:R(t.revenue.total,t.currency)})]}),e("div",{children:[e("dt",{children:"CLV, next 12 months"}),e("dd",{children:R(t.clv.total,t.currency)})]})]}),o&&e("p",{class:"muted small",children:["The top 10 % of customers bring ",U(o.share)," of revenue."]})]}),e("article",{class:"card kpi-card","aria-labelledby":"k-retention",children:[e("h2",{id:"k-retention",children:"Retention"}),e("dl",{class:"kpis",children:[e("div",{children:[e("dt",{children:"Repeat purchase rate"}),e("dd",{children:U(r.repeat.repeatPurchaseRate)})]}),e("div",{children:[e("dt",{children:"Churn last month"}),e("dd",{children:[a?U(a.churnRate,1):"—",e(Ie,{values:i.map(l=>l.churnRate),label:"Monthly churn rate, last 12 months"})]})]}),e("div",{children:[e("dt",{children:"New last month"}),e("dd",{children:[a?D(a.newCustomers):"—",e(Ie,{values:i.map(l=>l.newCustomers),label:"New customers per month, last 12 months"})]})]})]}),r.expected&&e("p",{class:"muted small",children:["The model expects ",U(r.expected.expectedChurnRate)," of today's buyers to be lost."]})]}),e("article",{class:"card","aria-labelledby":"k-risk",children:[e("h2",{id:"k-risk",children:"Most value at risk"}),s.nodes.length===0?e("p",{class:"muted",children:"Nobody at risk (or no fitted model yet)."}):e("ul",{class:"plain",children:s.nodes.map(l=>e("li",{children:[e(Q,{href:`/customers/${encodeURIComponent(l.accountId)}`,children:l.name})," · ",R(l.valueAtRisk,t.currency)," at risk ·"," ",U(l.churnProbability)," churn"]},l.accountId))}),e("p",{class:"small",children:e(Q,{href:"/value",children:"See the whole value picture"})})]})]})})}const Qt=L(`
  query Board {
    pipelines(first: 20) {
      nodes {
        id
        name
        stages {
          id
          name
          kind
          probability
        }
      }
    }
    deals(first: 500, filter: { status: "open" }) {
      nodes {
        id
        title
        amount
        currency
        pipelineId
        stageId
        version
        expectedCloseOn
      }
    }
  }
`),Gt=L(`
  mutation MoveDeal($id: ID!, $stageId: ID!, $ifVersion: Int, $lostReason: String, $key: String) {
    moveDeal(id: $id, stageId: $stageId, ifVersion: $ifVersion, lostReason: $lostReason, idempotencyKey: $key) {
      id
      stageId
      version
      status
    }
  }
`);async function on(){const n=await N(Qt);return{pipelines:n.pipelines.nodes,deals:n.deals.nodes}}function Yt(){const n=Ce(),t=He(n,"deals"),[r,s]=k(null),i=j(on,"board"),[a,o]=k(new Map),[l,c]=k(null),[u,h]=k(null),[_,d]=k(null);if(i.status==="loading")return e(W,{what:"the pipeline"});if(i.status==="error")return e(V,{error:i.error,retry:i.reload});const{pipelines:f}=i.data,v=f.find(p=>p.id===r)??f[0];if(!v)return e(E,{title:"Pipeline",children:e(O,{children:"No pipeline yet."})});const C=i.data.deals.filter(p=>p.pipelineId===v.id).map(p=>a.get(p.id)??p),$=p=>v.stages.find(w=>w.id===p)?.name??"another stage",x=async(p,w)=>{if(p.stageId===w||_)return;const b=v.stages.find(g=>g.id===w);let m;if(!(b?.kind==="lost"&&(m=window.prompt(`Why was “${p.title}” lost?`,"price")??void 0,!m))){d(p.id),c(null);try{const g=await N(Gt,{id:p.id,stageId:w,ifVersion:p.version,lostReason:m??null,key:ve()});o(A=>new Map(A).set(p.id,{...p,stageId:g.moveDeal.stageId,version:g.moveDeal.version})),c({kind:"ok",text:`“${p.title}” moved to ${$(g.moveDeal.stageId)}.`})}catch(g){if(g instanceof Y&&g.code==="precondition_failed"){let A="";try{const I=(await on()).deals.find(H=>H.id===p.id);A=I?` It is now in ${$(I.stageId)}.`:" It is no longer open."}catch{}o(new Map),c({kind:"conflict",text:`“${p.title}” was moved by someone else (perhaps in another tab) before your move, so yours was not applied.${A} The board now shows the latest state.`}),i.reload()}else c({kind:"conflict",text:ie(g)})}finally{d(null)}}},y=new Map(C.map(p=>[p.id,p]));return e(E,{title:"Pipeline",actions:f.length>1?e("label",{children:["Pipeline",e("select",{value:v.id,onChange:p=>s(p.currentTarget.value),children:f.map(p=>e("option",{value:p.id,children:p.name},p.id))})]}):void 0,children:[e("div",{"aria-live":"polite",children:l&&e("p",{class:`notice ${l.kind}`,role:l.kind==="conflict"?"alert":"status","data-testid":"board-notice",children:l.text})}),!t&&e("p",{class:"muted small",children:"Your role can see the board but not move deals."}),e("div",{class:"board",children:v.stages.map(p=>{const w=C.filter(m=>m.stageId===p.id),b=new Map;return w.forEach(m=>b.set(m.currency,(b.get(m.currency)??0)+ne(m.amount))),e("section",{class:`column${u===p.id?" over":""}`,"aria-label":`Stage ${p.name}`,"data-stage":p.name,onDragOver:m=>{t&&(m.preventDefault(),h(p.id))},onDragLeave:()=>h(null),onDrop:m=>{m.preventDefault(),h(null);const g=y.get(m.dataTransfer?.getData("text/plain")??"");g&&t&&x(g,p.id)},children:[e("h2",{children:[e("span",{children:p.name}),e("span",{class:"muted small",children:[p.probability," %"]})]}),e("p",{class:"muted small",children:[D(w.length)," deals",[...b].map(([m,g])=>` · ${R(g,m)}`).join("")]}),w.map(m=>e("article",{class:"deal",draggable:t,"data-deal":m.title,"aria-busy":_===m.id,onDragStart:g=>g.dataTransfer?.setData("text/plain",m.id),children:[e("strong",{children:m.title}),e("div",{class:"small",children:R(m.amount,m.currency)}),t&&e("label",{class:"move",children:["Move to",e("select",{value:m.stageId,onChange:g=>{x(m,g.currentTarget.value)},"aria-label":`Move ${m.title} to stage`,children:v.stages.map(g=>e("option",{value:g.id,children:g.name},g.id))})]})]},m.id))]},p.id)})})]})}const Jt=L(`
  query Segments {
    segments(first: 100) {
      nodes {
        id
        name
        description
        rule
        tracked
        createdAt
      }
    }
  }
`),Xt=L(`
  query PreviewSegment($rule: JSON!) {
    previewSegment(rule: $rule, sampleSize: 5) {
      count
      sample {
        id
        name
      }
    }
  }
`),Zt=L(`
  mutation CreateSegment($input: SegmentInput!, $key: String) {
    createSegment(input: $input, idempotencyKey: $key) {
      id
      name
    }
  }
`),Me=[{name:"orders_count",label:"Orders",kind:"number"},{name:"revenue",label:"Revenue",kind:"money"},{name:"clv",label:"CLV (12 months)",kind:"money"},{name:"churn_probability",label:"Churn probability (%)",kind:"share"},{name:"days_since_last_order",label:"Days since last order",kind:"number"},{name:"rfm_segment",label:"RFM segment",kind:"choice",choices:["champions","loyal","potential_loyalist","new","promising","need_attention","about_to_sleep","at_risk","cant_lose_them","hibernating","lost"]},{name:"risk_band",label:"Risk band",kind:"choice",choices:["healthy","watch","at_risk","lost"]},{name:"lifecycle_stage",label:"Lifecycle stage",kind:"choice",choices:["lead","prospect","customer","churned"]},{name:"kind",label:"Kind",kind:"choice",choices:["person","organization"]},{name:"loyalty_points",label:"Loyalty points",kind:"number"},{name:"acquisition_channel",label:"Acquisition channel",kind:"text"},{name:"tags",label:"Tags",kind:"text"}],ln={number:[[">=","at least"],["<=","at most"],["=","exactly"],[">","more than"],["<","less than"]],money:[[">=","at least"],["<=","at most"],[">","more than"],["<","less than"]],share:[[">=","at least"],["<=","at most"]],choice:[["=","is"],["!=","is not"]],text:[["=","is"],["contains","contains"]]};function qe(n){return Me.find(t=>t.name===n)??Me[0]}function er(n,t){const r=[];for(const s of t){const i=qe(s.field),a=s.value.trim();if(!a)return{problem:`Give a value for “${i.label}”.`};let o=a;if(i.kind==="number"||i.kind==="money"||i.kind==="share"){const l=Number(a);if(!Number.isFinite(l))return{problem:`“${i.label}” needs a number.`};o=i.kind==="money"?Math.round(l*100):i.kind==="share"?l/100:l}r.push({field:i.name,op:s.op,value:o})}return r.length===0?{problem:"Add a condition."}:{rule:{[n]:r}}}function nr({onSaved:n}){const t=Ce(),[r,s]=k("all"),[i,a]=k([{field:"orders_count",op:">=",value:"3"}]),[o,l]=k(""),[c,u]=k({status:"idle"}),[h,_]=k(null),[d,f]=k(null),v=er(r,i),C=JSON.stringify(v);K(()=>{if(!("rule"in v)){u({status:"error",text:v.problem});return}let y=!1;u(w=>({...w,status:"loading"}));const p=setTimeout(()=>{N(Xt,{rule:v.rule}).then(w=>!y&&u({status:"ok",count:w.previewSegment.count,sample:w.previewSegment.sample}),w=>!y&&u({status:"error",text:ie(w)}))},350);return()=>{y=!0,clearTimeout(p)}},[C]);const $=(y,p)=>a(w=>w.map((b,m)=>{if(m!==y)return b;const g={...b,...p};if(p.field){const A=qe(p.field);g.op=ln[A.kind][0]?.[0]??"=",g.value=A.choices?.[0]??""}return g})),x=async y=>{if(y.preventDefault(),"rule"in v){f(null);try{const p=await N(Zt,{input:{name:o.trim(),rule:v.rule,tracked:!1},key:ve()});_(p.createSegment.name),l(""),n()}catch(p){f(p)}}};return e("article",{class:"card","aria-labelledby":"builder-h",children:[e("h2",{id:"builder-h",children:"Build a segment"}),e("div",{class:"rule",children:[e("label",{children:["Customers matching",e("select",{value:r,onChange:y=>s(y.currentTarget.value==="any"?"any":"all"),children:[e("option",{value:"all",children:"all of these conditions"}),e("option",{value:"any",children:"any of these conditions"})]})]}),i.map((y,p)=>{const w=qe(y.field);return e("fieldset",{class:"condition","aria-label":`Condition ${p+1}`,children:[e("label",{children:["Field",e("select",{value:y.field,onChange:b=>$(p,{field:b.currentTarget.value}),children:Me.map(b=>e("option",{value:b.name,children:b.label},b.name))})]}),e("label",{children:["Comparison",e("select",{value:y.op,onChange:b=>$(p,{op:b.currentTarget.value}),children:ln[w.kind].map(([b,m])=>e("option",{value:b,children:m},b))})]}),e("label",{children:["Value",w.kind==="money"?" (whole units)":"",w.choices?e("select",{value:y.value,onChange:b=>$(p,{value:b.currentTarget.value}),children:w.choices.map(b=>e("option",{value:b,children:b.replace(/_/g," ")},b))}):e("input",{value:y.value,inputMode:w.kind==="text"?"text":"decimal",onInput:b=>$(p,{value:b.currentTarget.value})})]}),i.length>1&&e("button",{type:"button",class:"secondary",onClick:()=>a(b=>b.filter((m,g)=>g!==p)),children:"Remove"})]},p)}),e("div",{class:"row",children:e("button",{type:"button",class:"secondary",onClick:()=>a(y=>[...y,{field:"risk_band",op:"=",value:"at_risk"}]),children:"Add a condition"})})]}),e("div",{"aria-live":"polite",class:"preview",children:[c.status==="loading"&&e("p",{class:"muted",children:"Counting…"}),c.status==="ok"&&e(J,{children:[e("p",{class:"count","data-testid":"preview-count",children:[D(c.count??0)," customers match now"]}),(c.sample??[]).length>0&&e("p",{class:"small muted",children:["For example:"," ",(c.sample??[]).map((y,p)=>e("span",{children:[p>0?", ":"",e(Q,{href:`/customers/${encodeURIComponent(y.id)}`,children:y.name})]},y.id))]})]}),c.status==="error"&&e("p",{class:"state error",role:"alert",children:c.text})]}),He(t,"segments")&&e("form",{class:"row",onSubmit:y=>{x(y)},children:[e("label",{children:["Segment name",e("input",{required:!0,maxLength:200,value:o,onInput:y=>l(y.currentTarget.value)})]}),e("button",{type:"submit",disabled:!("rule"in v)||!o.trim(),children:"Save segment"})]}),h&&e("p",{class:"notice ok",role:"status",children:["Saved “",h,"”."]}),d!=null&&e(V,{error:d})]})}function tr(){const n=j(()=>N(Jt),"segments");return e(E,{title:"Segments",children:e("div",{class:"columns",children:[e("article",{class:"card","aria-labelledby":"saved-h",children:[e("h2",{id:"saved-h",children:"Saved segments"}),n.status==="loading"&&e(W,{what:"segments"}),n.status==="error"&&e(V,{error:n.error,retry:n.reload}),n.status==="ok"&&n.data.segments.nodes.length===0&&e(O,{children:"No segment yet: build one."}),n.status==="ok"&&e("ul",{class:"plain",children:n.data.segments.nodes.map(t=>e("li",{children:[e("strong",{children:t.name}),t.description?e("div",{class:"small muted",children:t.description}):null]},t.id))})]}),e(nr,{onSaved:n.reload})]})})}const rr=L(`
  query Settings {
    users(first: 100) {
      nodes {
        id
        name
        email
        role
        disabled
        lastLoginAt
      }
    }
    apiKeys(first: 100) {
      nodes {
        id
        name
        prefix
        scopes
        lastUsedAt
        expiresAt
        revokedAt
      }
    }
    webhooks(first: 50) {
      nodes {
        id
        url
        description
        eventTypes
        enabled
        disabledReason
      }
    }
  }
`),ir=L(`
  query WebhookDeliveries($id: ID!) {
    webhookDeliveries(webhookId: $id, first: 20) {
      nodes {
        id
        eventType
        attempt
        trigger
        outcome
        statusCode
        latencyMs
        error
        createdAt
      }
    }
  }
`);function sr({id:n}){const t=j(()=>N(ir,{id:n}),n);if(t.status==="loading")return e(W,{what:"deliveries"});if(t.status==="error")return e(V,{error:t.error,retry:t.reload});const r=t.data.webhookDeliveries.nodes;return r.length===0?e(O,{children:"Nothing delivered yet."}):e("table",{class:"list compact","aria-label":"Delivery log",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"When"}),e("th",{scope:"col",children:"Event"}),e("th",{scope:"col",children:"Attempt"}),e("th",{scope:"col",children:"Outcome"}),e("th",{scope:"col",class:"num",children:"Status"}),e("th",{scope:"col",class:"num",children:"Latency"})]})}),e("tbody",{children:r.map(s=>e("tr",{children:[e("td",{children:B(s.createdAt)}),e("td",{children:s.eventType}),e("td",{children:[s.attempt," (",s.trigger,")"]}),e("td",{children:[q(s.outcome),s.error?e("div",{class:"small muted",children:s.error}):null]}),e("td",{class:"num",children:s.statusCode??"—"}),e("td",{class:"num",children:[s.latencyMs," ms"]})]},s.id))})]})}function ar(){const n=Ce(),t=n.role==="owner"||n.role==="admin",r=j(()=>t?N(rr):Promise.resolve(null),"settings"),[s,i]=k(null);if(!t)return e(E,{title:"Settings",children:e(O,{children:"Only owners and admins manage users, API keys and webhooks."})});if(r.status==="loading")return e(W,{what:"settings"});if(r.status==="error")return e(V,{error:r.error,retry:r.reload});if(!r.data)return null;const{users:a,apiKeys:o,webhooks:l}=r.data;return e(E,{title:"Settings",children:e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"users-h",children:[e("h2",{id:"users-h",children:"Users"}),e("table",{class:"list","aria-labelledby":"users-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Name"}),e("th",{scope:"col",children:"E-mail"}),e("th",{scope:"col",children:"Role"}),e("th",{scope:"col",children:"Last sign-in"})]})}),e("tbody",{children:a.nodes.map(c=>e("tr",{children:[e("td",{children:[c.name,c.disabled?" (disabled)":""]}),e("td",{children:c.email}),e("td",{children:q(c.role)}),e("td",{children:c.lastLoginAt?B(c.lastLoginAt):"never"})]},c.id))})]})]}),e("article",{class:"card wide","aria-labelledby":"keys-h",children:[e("h2",{id:"keys-h",children:"API keys"}),o.nodes.length===0?e(O,{children:"No API key."}):e("table",{class:"list","aria-labelledby":"keys-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Name"}),e("th",{scope:"col",children:"Prefix"}),e("th",{scope:"col",children:"Scopes"}),e("th",{scope:"col",children:"Last used"}),e("th",{scope:"col",children:"State"})]})}),e("tbody",{children:o.nodes.map(c=>e("tr",{children:[e("td",{children:c.name}),e("td",{children:e("code",{children:`rk_${c.prefix}_…`})}),e("td",{class:"small",children:c.scopes.join(", ")}),e("td",{children:c.lastUsedAt?B(c.lastUsedAt):"never"}),e("td",{children:c.revokedAt?`revoked ${B(c.revokedAt)}`:c.expiresAt?`expires ${B(c.expiresAt)}`:"active"})]},c.id))})]})]}),e("article",{class:"card wide","aria-labelledby":"hooks-h",children:[e("h2",{id:"hooks-h",children:"Webhooks"}),l.nodes.length===0?e(O,{children:"No webhook subscription."}):e("ul",{class:"plain",children:l.nodes.map(c=>e("li",{children:[e("div",{class:"row",children:[e("strong",{children:c.url}),e("span",{class:"small muted",children:[c.eventTypes.join(", ")," · ",c.enabled?"enabled":`disabled${c.disabledReason?`: ${c.disabledReason}`:""}`]}),e("button",{type:"button",class:"secondary","aria-expanded":s===c.id,onClick:()=>i(s===c.id?null:c.id),children:s===c.id?"Hide deliveries":"Show deliveries"})]}),s===c.id&&e(sr,{id:c.id})]},c.id))})]})]})})}function or(){const[n,t]=k(""),[r,s]=k(""),[i,a]=k(!1),[o,l]=k(null),c=async u=>{u.preventDefault(),a(!0),l(null);try{await Yn(n.trim(),r)}catch(h){l(h),a(!1)}};return e("main",{id:"main",class:"signin",children:e("form",{onSubmit:u=>{c(u)},"aria-labelledby":"signin-title",children:[e("h1",{id:"signin-title",children:"Sign in to Rapport"}),e("label",{children:["E-mail",e("input",{type:"email",name:"email",autoComplete:"username",required:!0,value:n,onInput:u=>t(u.currentTarget.value)})]}),e("label",{children:["Password",e("input",{type:"password",name:"password",autoComplete:"current-password",required:!0,value:r,onInput:u=>s(u.currentTarget.value)})]}),o!=null&&e("p",{class:"state error",role:"alert",children:ie(o)}),e("button",{type:"submit",disabled:i,children:i?"Signing in…":"Sign in"}),e("p",{class:"hint",children:"Your session lives in this tab only: reloading the page asks you to sign in again."})]})})}const lr=L(`
  query Value {
    rfmSegments {
      currency
      breakpointsFittedAt
      scoredAccounts
      unscoredAccounts
      segments {
        segment
        label
        accounts
        revenue
        shareOfAccounts
        shareOfRevenue
      }
    }
    valueDistribution {
      currency
      clv {
        customers
        histogram {
          lower
          upper
          customers
        }
      }
    }
    atRiskAccounts(first: 20) {
      nodes {
        accountId
        name
        valueAtRisk
        churnProbability
        riskBand
        clv
        revenue
        segment
      }
    }
  }
`);function cr(){const n=j(()=>N(lr),"value");if(n.status==="loading")return e(W,{what:"value"});if(n.status==="error")return e(V,{error:n.error,retry:n.reload});const{rfmSegments:t,valueDistribution:r,atRiskAccounts:s}=n.data;return e(E,{title:"Value",children:e("div",{class:"grid",children:[e("article",{class:"card wide","aria-labelledby":"rfm-grid-h",children:[e("h2",{id:"rfm-grid-h",children:"RFM grid"}),t.scoredAccounts===0?e(O,{children:"No customer is scored yet: fit the value model once there are orders."}):e(J,{children:[e("p",{class:"muted small",children:["Recency (rows) against the average of frequency and monetary value (columns); darker cells hold more of the revenue."," ",t.scoredAccounts," customers scored",t.breakpointsFittedAt?` on ${B(t.breakpointsFittedAt)}`:"","."]}),e(bt,{cells:t.segments}),e("table",{class:"list","aria-label":"RFM segments",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Segment"}),e("th",{scope:"col",class:"num",children:"Customers"}),e("th",{scope:"col",class:"num",children:"Share"}),e("th",{scope:"col",class:"num",children:"Revenue"}),e("th",{scope:"col",class:"num",children:"Share of revenue"})]})}),e("tbody",{children:t.segments.map(i=>e("tr",{children:[e("td",{children:i.label}),e("td",{class:"num",children:i.accounts}),e("td",{class:"num",children:U(i.shareOfAccounts)}),e("td",{class:"num",children:R(i.revenue,t.currency)}),e("td",{class:"num",children:U(i.shareOfRevenue)})]},i.segment))})]})]})]}),e("article",{class:"card wide","aria-labelledby":"clv-h",children:[e("h2",{id:"clv-h",children:"CLV distribution"}),r.clv.customers===0?e(O,{children:"No CLV predictions yet."}):e(gt,{label:"Customers by 12-month CLV",bars:r.clv.histogram.map(i=>({label:`≥ ${pe(i.lower,r.currency)}`,value:i.customers,text:`${i.customers}`}))})]}),e("article",{class:"card wide","aria-labelledby":"risk-h",children:[e("h2",{id:"risk-h",children:"At risk, by value at risk"}),s.nodes.length===0?e(O,{children:"Nobody is at risk (or the model is not fitted yet)."}):e("table",{class:"list","aria-labelledby":"risk-h",children:[e("thead",{children:e("tr",{children:[e("th",{scope:"col",children:"Customer"}),e("th",{scope:"col",children:"Segment"}),e("th",{scope:"col",children:"Risk"}),e("th",{scope:"col",class:"num",children:"Churn"}),e("th",{scope:"col",class:"num",children:"CLV"}),e("th",{scope:"col",class:"num",children:"Value at risk"})]})}),e("tbody",{children:s.nodes.map(i=>e("tr",{children:[e("td",{children:e(Q,{href:`/customers/${encodeURIComponent(i.accountId)}`,children:i.name})}),e("td",{children:q(i.segment)}),e("td",{children:e("span",{class:`band ${i.riskBand}`,children:q(i.riskBand)})}),e("td",{class:"num",children:U(i.churnProbability)}),e("td",{class:"num",children:R(i.clv,t.currency)}),e("td",{class:"num",children:R(i.valueAtRisk,t.currency)})]},i.accountId))})]})]})]})})}const dr=L(`
  query Me {
    me {
      name
      email
      role
    }
    workspace {
      name
    }
    valueSettings {
      reportingCurrency
    }
  }
`),ur=[["/","Overview"],["/customers","Customers"],["/value","Value"],["/cohorts","Cohorts"],["/pipeline","Pipeline"],["/segments","Segments"],["/campaigns","Campaigns"],["/loyalty","Loyalty"],["/settings","Settings"]];function hr({path:n}){const t=n.split("/").filter(Boolean);switch(t[0]){case void 0:return e(zt,{});case"customers":return t[1]?e(Bt,{id:decodeURIComponent(t[1])}):e(Vt,{});case"value":return e(cr,{});case"cohorts":return e(qt,{});case"loyalty":return e(Wt,{});case"settings":return e(ar,{});case"pipeline":return e(Yt,{});case"segments":return e(tr,{});case"campaigns":return e(Dt,{selected:t[1]?decodeURIComponent(t[1]):null});default:return e("section",{class:"page",children:[e("h1",{children:"Not found"}),e("p",{children:["There is no page at this address. ",e(Q,{href:"/",children:"Go to the overview"}),"."]})]})}}function mr({me:n}){const t=$t(),r="/"+(t.split("/").filter(Boolean)[0]??"");return e(Pn.Provider,{value:n,children:[e("a",{class:"skip",href:"#main",children:"Skip to content"}),e("header",{class:"top",children:[e("span",{class:"brand",children:"Rapport"}),e("nav",{"aria-label":"Main",children:e("ul",{children:ur.filter(([s])=>s!=="/settings"||n.role==="owner"||n.role==="admin").map(([s,i])=>e("li",{children:e(Q,{href:s,"aria-current":r===s?"page":void 0,children:i})},s))})}),e("span",{class:"who",children:[n.name," · ",n.role," · ",n.workspace,e("button",{type:"button",class:"link",onClick:()=>{An()},children:"Sign out"})]})]}),e("main",{id:"main",children:e(hr,{path:t})})]})}function pr(){const[n,t]=k(Gn()),[r,s]=k(null),[i,a]=k(null);return K(()=>Qn(o=>t(o)),[]),K(()=>{if(!n){s(null);return}a(null),N(dr).then(o=>{Jn(o.valueSettings.reportingCurrency),s({name:o.me?.name??"API key",email:o.me?.email??"",role:o.me?.role??"viewer",workspace:o.workspace.name,currency:o.valueSettings.reportingCurrency})},o=>a(o))},[n]),n?i?e(V,{error:i,retry:()=>{An()}}):r?e(mr,{me:r}):e(W,{what:"your workspace"}):e(or,{})}const cn=document.getElementById("app");cn&&Bn(e(pr,{}),cn);
